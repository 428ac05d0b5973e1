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

    public static string RelativePath(string sha256, DateTime receivedAt) =>
        Path.Combine(receivedAt.ToString("yyyyMM", CultureInfo.InvariantCulture), receivedAt.ToString("dd", CultureInfo.InvariantCulture),
            receivedAt.ToString("HH", CultureInfo.InvariantCulture), sha256);

    public string FullPath(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>
    /// Writes the files not yet archived, then makes them durable. All files are written first and flushed together (in
    /// parallel, so the file system commits them in one or a few journal transactions instead of one per file), then renamed
    /// into place, and each directory that changed is flushed once.
    /// </summary>
    public void Store(IReadOnlyList<(string RelativePath, ReadOnlyMemory<byte> Bytes)> files)
    {
        var written = new List<(FileStream Stream, string Temp, string Final)>();
        try
        {
            var created = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (relative, bytes) in files)
            {
                var final = FullPath(relative);
                if (File.Exists(final))
                {
                    continue;
                }

                var directory = Path.GetDirectoryName(final)!;
                if (!Directory.Exists(directory))
                {
                    Directory.CreateDirectory(directory);
                    created.Add(directory);
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
                File.Move(temp, final, overwrite: true);
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
            foreach (var (stream, temp, _) in written)
            {
                stream.Dispose();
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
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
            }
        }

        return dropped;
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
    }
}
