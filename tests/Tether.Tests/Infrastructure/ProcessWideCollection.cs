namespace Tether.Tests.Infrastructure;

/// <summary>
/// Tests that count this process's fds or children; they must not run beside other tests
/// that open files or start processes.
/// </summary>
[CollectionDefinition(nameof(ProcessWideCollection), DisableParallelization = true)]
public sealed class ProcessWideCollection
{
}
