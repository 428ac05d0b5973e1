using System.Text;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>
/// The second door: <c>{Data:Directory}/inbox/</c>, where mines drop files by FTP — in the folder itself or in a sub-folder
/// named after the mine code (one FTP account per mine; the folder then is the sender and must match the file). Polled, not
/// watched by events (FTP and network shares do not raise them reliably). A file still being uploaded has no closing
/// <c>||</c> yet: it is left alone for <c>IncompleteWait</c>, then rejected as incomplete. Accepted and duplicate files are
/// removed (the archive keeps the bytes); rejected ones move to <c>inbox/rejected/</c> with a <c>.reason.txt</c> beside them.
/// </summary>
public sealed partial class InboxWatcher(FeedIntake intake, DataPaths paths, TimeProvider clock, IOptions<MonitoringOptions> options, ILogger<InboxWatcher> logger)
    : BackgroundService
{
    public const string RejectedFolder = "rejected";

    private readonly SemaphoreSlim _gate = new(1, 1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> _incomplete = new(StringComparer.Ordinal);


    public string Root { get; } = paths.Sub("inbox");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.InboxEnabled)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScanFailed(ex);
            }

            await Task.Delay(options.Value.InboxPollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One pass over the inbox; returns how many files were taken (accepted, duplicate or rejected).</summary>
    public async Task<int> ScanAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await ScanOnceAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> ScanOnceAsync(CancellationToken ct)
    {
        var taken = 0;
        var files = Directory.EnumerateFiles(Root).Select(f => (Path: f, Folder: (string?)null)).ToList();
        foreach (var folder in Directory.EnumerateDirectories(Root).Where(d => Path.GetFileName(d) != RejectedFolder))
        {
            files.AddRange(Directory.EnumerateFiles(folder).Select(f => (f, (string?)Path.GetFileName(folder))));
        }

        // Each mine's files in name order (its CDDY before its CDSS of the same moment), mines side by side so their files share group commits.
        var busy = false;
        await Parallel.ForEachAsync(
            files.GroupBy(f => f.Folder ?? MineCodeOf(Path.GetFileName(f.Path))),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (mine, token) =>
            {
                foreach (var (path, folder) in mine.OrderBy(f => Path.GetFileName(f.Path), StringComparer.Ordinal))
                {
                    var name = Path.GetFileName(path);
                    if (Volatile.Read(ref busy) || name.StartsWith('.') || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase))
                    {
                        continue; // an FTP client's temporary name, or intake is busy
                    }

                    var outcome = await TakeAsync(path, name, folder, token);
                    if (outcome == IntakeOutcome.Busy)
                    {
                        Volatile.Write(ref busy, true);
                    }
                    else if (outcome is not null)
                    {
                        Interlocked.Increment(ref taken);
                    }
                }
            });

        return taken;
    }

    private async Task<IntakeOutcome?> TakeAsync(string path, string name, string? folder, CancellationToken ct)
    {
        var info = new FileInfo(path);
        var max = options.Value.MaxFileBytes;
        IntakeResult result;
        if (info.Length > max)
        {
            await using var big = File.OpenRead(path);
            result = await intake.SubmitAsync(name, big, info.Length, new FeedSender(FeedDoor.Inbox, FolderMineCode: folder), ct);
        }
        else
        {
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(path, ct);
            }
            catch (IOException)
            {
                return null; // still open for writing by the FTP server
            }

            if (!EndsWithMarker(bytes))
            {
                // The upload may still be going on: wait, measured on the app's clock from when this file was first seen (DOMAIN §8).
                var now = clock.GetUtcNow().UtcDateTime;
                var first = _incomplete.GetValueOrDefault(path, now);
                _incomplete[path] = first;
                if (now - first < options.Value.IncompleteWait)
                {
                    return null;
                }
            }

            _incomplete.TryRemove(path, out _);

            result = await intake.SubmitAsync(name, new MemoryStream(bytes, writable: false), bytes.Length, new FeedSender(FeedDoor.Inbox, FolderMineCode: folder), ct);
        }

        switch (result.Outcome)
        {
            case IntakeOutcome.Accepted or IntakeOutcome.Duplicate:
                File.Delete(path);
                break;
            case IntakeOutcome.Rejected:
                var rejected = paths.Sub(Path.Combine("inbox", RejectedFolder));
                var target = Path.Combine(rejected, name);
                File.Move(path, target, overwrite: true);
                await File.WriteAllTextAsync(target + ".reason.txt", result.Error?.Message ?? "已拒收", Encoding.UTF8, ct);
                break;
        }

        return result.Outcome;
    }

    private static string MineCodeOf(string name) => name.Split('_')[0];

    /// <summary>Whether the bytes end with the closing <c>||</c> (trailing whitespace allowed), as a complete upload does.</summary>
    public static bool EndsWithMarker(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')
        {
            end--;
        }

        return end >= 2 && bytes[end - 1] == '|' && bytes[end - 2] == '|';
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "扫描收件目录失败")]
    private partial void LogScanFailed(Exception ex);
}
