using System.Globalization;
using System.Text;
using Serilog.Events;
using Serilog.Parsing;

namespace Tether.Logging;

/// <summary>Renders a message template with string values unquoted (Serilog's default quotes them), invariant culture.</summary>
internal static class MessageRenderer
{
    public static string Render(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var builder = new StringBuilder();
        using var writer = new StringWriter(builder, CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            switch (token)
            {
                case TextToken text:
                    writer.Write(text.Text);
                    break;
                case PropertyToken property when logEvent.Properties.TryGetValue(property.PropertyName, out var value):
                    if (value is ScalarValue { Value: string s })
                    {
                        writer.Write(s);
                    }
                    else
                    {
                        value.Render(writer, property.Format, CultureInfo.InvariantCulture);
                    }

                    break;
                default:
                    token.Render(logEvent.Properties, writer, CultureInfo.InvariantCulture);
                    break;
            }
        }

        writer.Flush();
        return builder.ToString();
    }
}
