using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using MineRisk.Web.Platform;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>
/// The raw bytes of every accepted file, content-addressed (file name = SHA-256) under
/// <c>{Data:Directory}/feeds/archive/yyyyMM/dd/HH/</c> (UTC, by arrival). The month folder is the unit of retention (dropped
/// whole after 2 years, like the readings' partitions); the hour folder keeps directories small at national volume (about
/// 500,000 files an hour) and means a batch of files arriving together needs one directory flush. Each file is written under
/// a temporary name, flushed to disk, then renamed: it is either complete in the archive or absent, never half written.
/// </summary>
public sealed class FeedArchive(DataPaths paths)
{
    public string Root { get; } = paths.Sub(Path.Combine("feeds", "archive"));

    private string Temp { get; } = paths.Sub(Path.Combine("feeds", "tmp"));

    /// <summary>Archive folders known to exist (forgotten when retention drops a month).</summary>
    private readonly ConcurrentDictionary<string, bool> _directories = new(StringComparer.Ordinal);

    public static string RelativePath(string sha256, DateTime receivedAt) =>
        Path.Combine(receivedAt.ToString("yyyyMM", CultureInfo.InvariantCulture), receivedAt.ToString("dd", CultureInfo.InvariantCulture),
            receivedAt.ToString("HH", CultureInfo.InvariantCulture), sha256);

    public string FullPath(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>
    /// Writes the files, then makes them durable. All files are written first and flushed together (in
    /// parallel, so the file system commits them in one or a few journal transactions instead of one per file), then renamed
    /// into place, and each directory that changed is flushed once.
    /// </summary>
    public void Store(IReadOnlyList<(string RelativePath, ReadOnlyMemory<byte> Bytes)> files)
    {
        // Each file costs the kernel a create, a write, a flush and a rename; nothing more is asked of it (perf showed
        // existence checks and .NET's checks around a move costing as much as the flushes). Content-addressed: an
        // identical file left by an earlier attempt is simply replaced.
        var written = new List<(FileStream Stream, string Temp, string Final)>(files.Count);
        var moved = 0;
        try
        {
            var created = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (relative, bytes) in files)
            {
                var final = FullPath(relative);
                var directory = Path.GetDirectoryName(final)!;
                if (!_directories.ContainsKey(directory))
                {
                    if (!Directory.Exists(directory))
                    {
                        Directory.CreateDirectory(directory);
                        created.Add(directory);
                    }

                    _directories[directory] = true;
                }

                var temp = Path.Combine(Temp, Guid.NewGuid().ToString("N"));
                var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
                written.Add((stream, temp, final));
                stream.Write(bytes.Span);
            }

            Parallel.ForEach(written, new ParallelOptions { MaxDegreeOfParallelism = 16 }, w => w.Stream.Flush(flushToDisk: true));
            foreach (var (stream, temp, final) in written)
            {
                stream.Dispose();
                Rename(temp, final);
                moved++;
            }

            // The renamed entries, and the entries of any directory made for them (up to the archive root).
            var dirty = written.Select(w => Path.GetDirectoryName(w.Final)!).ToHashSet(StringComparer.Ordinal);
            foreach (var directory in created)
            {
                for (var parent = Path.GetDirectoryName(directory); parent is not null && parent.Length >= Root.Length; parent = Path.GetDirectoryName(parent))
                {
                    dirty.Add(parent);
                }
            }

            Parallel.ForEach(dirty, FlushDirectory);
        }
        finally
        {
            if (moved < written.Count)
            {
                _directories.Clear(); // look again next time (a folder may have gone behind our back)
            }

            for (var i = moved; i < written.Count; i++)
            {
                written[i].Stream.Dispose();
                File.Delete(written[i].Temp);
            }
        }
    }

    public byte[]? Read(string relativePath)
    {
        var path = FullPath(relativePath);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <summary>Deletes the month folders that end before <paramref name="cutoffUtc"/>; returns how many.</summary>
    public int DropMonthsBefore(DateTime cutoffUtc)
    {
        var dropped = 0;
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            if (DateTime.TryParseExact(Path.GetFileName(dir), "yyyyMM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var month)
                && month.AddMonths(1) <= cutoffUtc)
            {
                Directory.Delete(dir, recursive: true);
                dropped++;
                _directories.Clear();
            }
        }

        return dropped;
    }

    /// <summary>rename(2), replacing the target: File.Move checks both paths first, two more lookups per file.</summary>
    private static void Rename(string from, string to)
    {
        if (!OperatingSystem.IsLinux())
        {
            File.Move(from, to, overwrite: true);
            return;
        }

        if (Native.rename(from, to) != 0)
        {
            throw new IOException($"归档文件 {to} 改名失败（errno {Marshal.GetLastPInvokeError()}）");
        }
    }

    /// <summary>A rename is durable only once its directory is flushed (POSIX). .NET opens no directory handles, hence libc.</summary>
    private static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Native.open(directory, Native.ReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"无法打开归档目录 {directory}（errno {Marshal.GetLastPInvokeError()}）");
        }

        try
        {
            if (Native.fsync(fd) != 0)
            {
                throw new IOException($"归档目录 {directory} 写盘失败（errno {Marshal.GetLastPInvokeError()}）");
            }
        }
        finally
        {
            _ = Native.close(fd);
        }
    }

    private static class Native
    {
        /// <summary>O_RDONLY: enough to fsync a directory (O_DIRECTORY's value differs between architectures).</summary>
        public const int ReadOnlyDirectory = 0;

        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc")]
        public static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);
    }
}
