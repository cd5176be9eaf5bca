using System.Text;

namespace Tether.Tests.Platform.Processes;

/// <summary>
/// Test-only splitter that follows the documented CommandLineToArgvW / MSVC C runtime rules, to
/// check that what WindowsCommandLine builds splits back into the same argv. It is itself
/// checked against the examples in the documentation (CommandLineToArgvWTableTests).
/// </summary>
internal static class CommandLineToArgvReference
{
    public static List<string> Split(string commandLine)
    {
        var args = new List<string>();
        var i = 0;
        var n = commandLine.Length;

        // argv[0]: up to the next space or tab, or inside quotes up to the next quote; no escapes.
        var program = new StringBuilder();
        if (n > 0 && commandLine[0] == '"')
        {
            i = 1;
            while (i < n && commandLine[i] != '"')
            {
                program.Append(commandLine[i++]);
            }

            if (i < n)
            {
                i++;
            }
        }
        else
        {
            while (i < n && commandLine[i] is not (' ' or '\t'))
            {
                program.Append(commandLine[i++]);
            }
        }

        args.Add(program.ToString());
        while (true)
        {
            while (i < n && commandLine[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= n)
            {
                return args;
            }

            var arg = new StringBuilder();
            var quoted = false;
            while (i < n)
            {
                var c = commandLine[i];
                if (!quoted && c is ' ' or '\t')
                {
                    break;
                }

                if (c == '\\')
                {
                    var start = i;
                    while (i < n && commandLine[i] == '\\')
                    {
                        i++;
                    }

                    var count = i - start;
                    if (i < n && commandLine[i] == '"')
                    {
                        arg.Append('\\', count / 2);
                        if (count % 2 == 1)
                        {
                            arg.Append('"');
                            i++;
                        }
                    }
                    else
                    {
                        arg.Append('\\', count);
                    }

                    continue;
                }

                if (c == '"')
                {
                    if (quoted && i + 1 < n && commandLine[i + 1] == '"')
                    {
                        // "" inside quotes: a literal quote, still quoted (the post-2008 rule).
                        arg.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = !quoted;
                    i++;
                    continue;
                }

                arg.Append(c);
                i++;
            }

            args.Add(arg.ToString());
        }
    }
}
