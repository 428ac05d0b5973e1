using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using MineRisk.Feeds.Bench;

// `-- --quick`: a Stopwatch figure in a few seconds. Anything else goes to BenchmarkDotNet
// (e.g. `-- --filter '*'`, `-- --filter '*CdssRead*'`).
if (args.Contains("--quick"))
{
    QuickRun.Run();
    return;
}

// Reports go to bench/results/feeds (git-ignored) rather than the current directory.
var config = DefaultConfig.Instance;
if (RepositoryRoot() is { } root)
{
    config = config.WithArtifactsPath(Path.Combine(root, "bench", "results", "feeds"));
}

BenchmarkSwitcher.FromAssembly(typeof(CdssReadBenchmarks).Assembly).Run(args, config);

static string? RepositoryRoot()
{
    for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")))
        {
            return directory.FullName;
        }
    }

    return null;
}
