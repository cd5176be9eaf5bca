using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// bench/run starts this with an artifacts folder and optionally --quick (few, short iterations
// so the test command stays fast; the numbers of a quick run are only a smoke signal).
bool quick = args.Contains("--quick");
string artifacts = args.SkipWhile(a => a != "--artifacts").Skip(1).FirstOrDefault() ?? "artifacts/bench/micro";

// In-process: no per-benchmark project generation and build, which would double the run time.
Job job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance);
job = quick
    ? job.WithWarmupCount(1).WithIterationCount(3).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100)).WithId("quick")
    : job.WithWarmupCount(3).WithIterationCount(10).WithId("full");

IConfig config = ManualConfig.CreateMinimumViable()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddExporter(MarkdownExporter.GitHub)
    .WithArtifactsPath(artifacts)
    .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);

var summary = BenchmarkRunner.Run(
    [typeof(Tether.Benchmarks.ProtocolBenchmarks), typeof(Tether.Benchmarks.HotPathBenchmarks), typeof(Tether.Benchmarks.ContainerBenchmarks)], config);
return summary.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
