using BenchmarkDotNet.Running;
using MineRisk.Feeds.Bench;

// `-- --quick`: a Stopwatch figure in a few seconds. Anything else goes to BenchmarkDotNet
// (e.g. `-- --filter '*'`, `-- --filter '*CdssRead*'`).
if (args.Contains("--quick"))
{
    QuickRun.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(CdssReadBenchmarks).Assembly).Run(args);
