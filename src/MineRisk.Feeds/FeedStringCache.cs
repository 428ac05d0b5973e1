using System.Runtime.InteropServices;
using System.Text;

namespace MineRisk.Feeds;

/// <summary>
/// Turns the UTF-8 bytes of text fields into strings without allocating when the same text was seen before:
/// a mine sends the same point codes, sensor names, locations and units every 30 seconds, so after the first
/// file a reading costs no string allocation. Bounded (a fixed number of slots, values up to
/// <see cref="MaxCachedBytes"/> bytes), so hostile input cannot grow it; on a miss it may evict.
/// Thread-safe without locks: slots hold immutable entries that are replaced whole, so a race can only lose
/// a cache insertion, never return a wrong string.
/// </summary>
public sealed class FeedStringCache
{
    /// <summary>Longer values (e.g. 行进轨迹) are not cached.</summary>
    public const int MaxCachedBytes = 128;

    private const int Ways = 4;

    private readonly Entry?[] _slots;
    private readonly int _mask;
    private readonly ulong _seed;

    /// <summary>Creates a cache with <paramref name="capacity"/> slots (rounded up to a power of two, at least 16).</summary>
    public FeedStringCache(int capacity = 16_384)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        int size = (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity));
        _slots = new Entry?[size];
        _mask = size - 1;

        // A per-process seed keeps crafted files from forcing every value into the same slots.
        _seed = (ulong)Random.Shared.NextInt64() | 1;
    }

    /// <summary>
    /// The cache the readers use unless told otherwise: 65,536 slots. Memory: a few MB for a mine's or a county's
    /// texts; about 30 MB at the very most (every slot holding a 128-byte value), whatever the input.
    /// </summary>
    public static FeedStringCache Shared { get; } = new(65_536);

    /// <summary>Number of slots.</summary>
    public int Capacity => _slots.Length;

    internal string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        uint hash = Hash(utf8);
        int home = (int)hash & _mask;
        int free = -1;
        for (int way = 0; way < Ways; way++)
        {
            int slot = (home + way) & _mask;
            var entry = Volatile.Read(ref _slots[slot]);
            if (entry is null)
            {
                if (free < 0)
                {
                    free = slot;
                }

                continue;
            }

            if (entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }
        }

        string value = Encoding.UTF8.GetString(utf8);
        int target = free >= 0 ? free : (home + (int)(hash >> 30)) & _mask;
        Volatile.Write(ref _slots[target], new Entry(hash, utf8.ToArray(), value));
        return value;
    }

    private uint Hash(ReadOnlySpan<byte> s)
    {
        const ulong K = 0x9E3779B97F4A7C15;
        ulong h = _seed ^ ((ulong)s.Length * K);
        while (s.Length >= 8)
        {
            h = (h ^ MemoryMarshal.Read<ulong>(s)) * K;
            h ^= h >> 29;
            s = s[8..];
        }

        ulong tail = 0;
        foreach (byte b in s)
        {
            tail = (tail << 8) | b;
        }

        h = (h ^ tail) * K;
        h ^= h >> 32;
        return (uint)h;
    }

    private sealed class Entry(uint hash, byte[] utf8, string value)
    {
        public uint Hash { get; } = hash;

        public byte[] Utf8 { get; } = utf8;

        public string Value { get; } = value;
    }
}
