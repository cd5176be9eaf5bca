using Tether.Platform.Processes;

namespace Tether.Tests.Platform.Processes;

public sealed class WindowsCommandLineTests
{
    private const string Program = @"C:\Tools\p.exe";

    public static TheoryData<string, string[]> DocumentedExamples => new()
    {
        // "Parsing C++ command-line arguments" / CommandLineToArgvW, after a program name.
        { "p \"abc\" d e", ["p", "abc", "d", "e"] },
        { @"p a\\b d""e f""g h", ["p", @"a\\b", "de fg", "h"] },
        { @"p a\\\""b c d", ["p", @"a\""b", "c", "d"] },
        { @"p a\\\\""b c"" d e", ["p", @"a\\b c", "d", "e"] },
        { "p a\"b\"\" c d", ["p", "ab\" c d"] },
        { "\"C:\\Program Files\\p.exe\" x", [@"C:\Program Files\p.exe", "x"] },
        { "p \t a  \t b", ["p", "a", "b"] },
    };

    private static readonly string[] Awkward =
    [
        string.Empty,
        " ",
        "a b",
        "a\tb",
        "\"",
        "\"\"",
        "a\"b",
        @"\",
        @"\\",
        @"a\",
        @"a b\",
        @"a b\\",
        @"a\""b",
        @"a\\""b",
        @"C:\dir with space\",
        @"\\server\share\",
        "line\nbreak",
        "vertical\vtab",
        "%PATH% ^& | < > ( )",
        "ünïcødé ✓",
    ];

    public static TheoryData<string> AwkwardArguments => new(Awkward);

    [Theory]
    [MemberData(nameof(DocumentedExamples))]
    public void ReferenceSplitter_MatchesTheDocumentedExamples(string commandLine, string[] expected)
    {
        Assert.Equal(expected, CommandLineToArgvReference.Split(commandLine));
    }

    [Theory]
    [MemberData(nameof(AwkwardArguments))]
    public void Build_EveryArgument_SplitsBackUnchanged(string argument)
    {
        var line = WindowsCommandLine.Build(Program, ["first", argument, "last"]);
        Assert.Equal([Program, "first", argument, "last"], CommandLineToArgvReference.Split(line));
    }

    [Fact]
    public void Build_AllAwkwardArgumentsTogether_SplitBackUnchanged()
    {
        var line = WindowsCommandLine.Build(@"C:\Program Files\Tool\p.exe", Awkward);
        Assert.Equal([@"C:\Program Files\Tool\p.exe", .. Awkward], CommandLineToArgvReference.Split(line));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData(@"C:\dir\", @"C:\dir\")]
    [InlineData(@"a b\", "\"a b\\\\\"")]
    [InlineData("a\\\\\"b", "\"a\\\\\\\\\\\"b\"")]
    [InlineData(@"a\b c", "\"a\\b c\"")]
    public void Build_QuotesOnlyWhatNeedsIt_AndDoublesOnlyBackslashesBeforeAQuote(string argument, string expected)
    {
        Assert.Equal(Program + " " + expected, WindowsCommandLine.Build(Program, [argument]));
    }

    [Fact]
    public void Build_ProgramWithSpaces_IsQuotedWithoutEscapes()
    {
        Assert.Equal("\"C:\\Program Files\\p.exe\" a", WindowsCommandLine.Build(@"C:\Program Files\p.exe", ["a"]));
    }

    [Fact]
    public void Build_ProgramWithTrailingBackslashAndSpace_IsNotEscaped()
    {
        // argv[0] has no backslash processing, so a trailing backslash must stay single.
        var line = WindowsCommandLine.Build(@"C:\odd dir\", []);
        Assert.Equal("\"C:\\odd dir\\\"", line);
        Assert.Equal([@"C:\odd dir\"], CommandLineToArgvReference.Split(line));
    }

    [Theory]
    [InlineData("C:\\a\"b.exe")]
    [InlineData("C:\\a\0b.exe")]
    [InlineData("")]
    public void Build_UnrepresentableProgram_Throws(string program)
    {
        Assert.ThrowsAny<ArgumentException>(() => WindowsCommandLine.Build(program, []));
    }

    [Fact]
    public void Build_ArgumentWithNul_Throws()
    {
        Assert.Throws<ArgumentException>(() => WindowsCommandLine.Build(Program, ["a\0b"]));
    }

    [Fact]
    public void Build_LongerThanCreateProcessAccepts_Throws()
    {
        var fits = new string('x', WindowsCommandLine.MaxLength - 2 - Program.Length);
        Assert.Equal(WindowsCommandLine.MaxLength - 1, WindowsCommandLine.Build(Program, [fits]).Length);
        Assert.Throws<ArgumentException>(() => WindowsCommandLine.Build(Program, [fits + "x"]));
    }

    [Theory]
    [InlineData(@"C:\x\run.bat", true)]
    [InlineData(@"C:\x\RUN.CMD", true)]
    [InlineData(@"C:\x\run.exe", false)]
    [InlineData(@"C:\x\run.bat.exe", false)]
    public void IsBatchFile_ByExtension(string path, bool expected)
    {
        Assert.Equal(expected, WindowsCommandLine.IsBatchFile(path));
    }
}
