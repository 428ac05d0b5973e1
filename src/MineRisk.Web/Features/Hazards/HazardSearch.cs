using System.Buffers.Binary;
using System.ComponentModel;
using System.Linq.Expressions;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Demo;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Hazards;

/// <summary>
/// One posting block of the ledger's text index (隐患检索索引): which hazards among 4,096 consecutive ids have one
/// character bigram in their description or place. Kept exact by <see cref="HazardSearch"/>; never read as a result,
/// only to narrow where the real text match looks.
/// </summary>
[NotAudited("由隐患描述和地点派生的检索索引，每次变化都记在隐患本身的审计记录里")]
[DisplayName("隐患检索索引")]
public sealed class HazardGram
{
    /// <summary>Two characters as code points, the first × 2^21 + the second; the second is 0 for a text's last character.</summary>
    public long Gram { get; init; }

    /// <summary>The hazards' id ÷ 4,096.</summary>
    public int Block { get; init; }

    /// <summary>The ids mod 4,096: fewer than 256 as ascending 2-byte offsets, otherwise a 512-byte bitmap (little-endian).</summary>
    public required byte[] Postings { get; set; }
}

internal sealed class HazardGramConfiguration : IEntityTypeConfiguration<HazardGram>
{
    public void Configure(EntityTypeBuilder<HazardGram> b)
    {
        b.ToTable("hazard_grams");
        b.HasKey(g => new { g.Gram, g.Block });
    }
}

/// <summary>The rows a ledger query selects, how to count them up to <see cref="Paging.CountCap"/> and to page them newest first.</summary>
public sealed class HazardSelection
{
    private readonly Func<CancellationToken, Task<(int Total, bool Capped)>>? _count;
    private readonly IQueryable<Hazard>? _filtered;
    private readonly long[]? _ordered;

    public HazardSelection(IQueryable<Hazard> rows, Func<CancellationToken, Task<(int Total, bool Capped)>>? count = null)
    {
        Rows = rows;
        Counted = rows;
        _count = count;
    }

    /// <summary>Rows counted by <paramref name="counted"/>, the same rows written for the count's plan.</summary>
    public HazardSelection(IQueryable<Hazard> rows, IQueryable<Hazard> counted)
    {
        Rows = rows;
        Counted = counted;
    }

    /// <summary>Matches already read (id and time found): counted and paged without reading them again.</summary>
    public HazardSelection(IQueryable<Hazard> filtered, IReadOnlyList<(long Id, DateTime FoundAt)> matches)
    {
        _filtered = filtered;
        _ordered = matches.OrderByDescending(m => m.FoundAt).ThenByDescending(m => m.Id).Select(m => m.Id).ToArray();
        var ids = _ordered;
        Rows = filtered.Where(h => EF.Parameter(ids).Contains(h.Id));
        Counted = Rows;
        _count = _ => Task.FromResult((ids.Length, false));
    }

    /// <summary>The selected rows, unordered.</summary>
    public IQueryable<Hazard> Rows { get; }

    /// <summary>The query counted (when the count is a query): <see cref="Rows"/>, or the same rows written to be counted faster.</summary>
    public IQueryable<Hazard> Counted { get; }

    public Task<(int Total, bool Capped)> CountAsync(CancellationToken ct) => _count is null ? Paging.CountAsync(Counted, ct) : _count(ct);

    /// <summary>One page in ledger order (newest found first, ties by id).</summary>
    public IQueryable<Hazard> Page(int skip, int take)
    {
        if (_ordered is null)
        {
            return HazardViews.Ordered(Rows).Skip(skip).Take(take);
        }

        var page = _ordered.Skip(skip).Take(take).ToArray();
        return HazardViews.Ordered(_filtered!.Where(h => page.Contains(h.Id)));
    }
}

/// <summary>
/// The ledger's text search (隐患台账检索): a hazard matches when the words occur in its description or place or in its
/// mine's name, or are its number — the predicate <see cref="Matches"/>, the same as before the index, and the only thing
/// that decides a match. Chinese words are mostly two characters (顶板, 瓦斯, 积水), which trigram indexes cannot serve,
/// and <c>LIKE '%…%'</c> read 220,000 rows to count the 10,000 matches of 顶板 at national scale (1.3 s on SQLite,
/// bench/hazards.sh), every row for a word that is nowhere.
/// <para>
/// So the index (<see cref="HazardGram"/>) holds, per term and block of 4,096 hazard ids, which hazards have the term:
/// every character bigram of the description and of the place (a text's last character as a bigram with 0), and the
/// hazard's province, city and county. About 28 terms a hazard: 65 MB on SQLite and 84 MB on PostgreSQL for a
/// million hazards (docs/PERFORMANCE.md), where one row per bigram and hazard would take 400 MB to 1 GB. A query takes
/// its candidates from it — the hazards having every bigram of the words (one character: any bigram it starts), plus
/// those of the mines whose name matches (the mines table, 4,300 rows) — and narrows them by the jurisdiction's and the
/// region filter's terms and by the ids of the other filters an index serves (open, a state, a mine, a period…; at most
/// <see cref="FilterIds"/>).
/// The candidates always include every match; the database applies the filters and <see cref="Matches"/> to them:
/// </para>
/// <list type="bullet">
/// <item>few candidates (≤ <see cref="FewCandidates"/>, or up to 10,000 when they need a count): read once by id, their
/// time found gives the count and every page;</item>
/// <item>many: the matches are dense, so the usual query finds a page within a few hundred rows in ledger order; only the
/// count up to 10,000 would read far. One or two characters over the whole ledger need no count (the candidates are the
/// matches); otherwise the candidates are confirmed by id, newest first, until 10,000 match.</item>
/// </list>
/// <para>
/// The index is kept exact by a save hook in the transaction of every save that registers a hazard or changes its
/// description, place or region (a state change touches nothing), rebuilt after the demo's bulk seeding, and built for
/// the existing hazards when an installation without it is upgraded.
/// </para>
/// </summary>
public sealed class HazardSearch : ISaveHook, ISchemaExtension
{
    /// <summary>Ids per posting block: a block's bitmap is 512 bytes, small enough to rewrite on every registration.</summary>
    public const int BlockBits = 12;

    /// <summary>Candidates up to which a query reads them by id, once (a few thousand rows: tens of milliseconds at most).</summary>
    public const int FewCandidates = 4000;

    /// <summary>How many ids of the other filters a query reads at most to narrow its candidates (an index range, tens of milliseconds).</summary>
    public const int FilterIds = 50_000;

    private const int Words = (1 << BlockBits) / 64;

    /// <summary>The region prefixes indexed: province, city, county (a township is narrowed by its county).</summary>
    private static readonly int[] RegionLengths = [6, 4, 2];

    private const int ListLimit = 256;

    private const int RebuildBatch = 20_000;

    /// <summary>Transaction-scoped advisory lock (with the block as second key) serialising updates of a block on PostgreSQL.</summary>
    private const int LockKey = 73100002;

    // ---- the query --------------------------------------------------------------------------------------

    /// <summary>Whether a hazard matches the text: the ledger's definition, applied by the database to the candidates.</summary>
    public static Expression<Func<Hazard, bool>> Matches(string q) =>
        h => h.Number == q || h.Description.Contains(q) || h.Location.Contains(q) || h.Mine!.Name.Contains(q);

    /// <summary>
    /// Narrows <paramref name="filtered"/> (the query's other filters and the jurisdiction applied) to the hazards matching
    /// <paramref name="q"/>. <paramref name="regionCode"/>: the query's region filter; <paramref name="indexed"/>: the query's
    /// other filters that an index serves (state, level, period, mine, 督办), over every jurisdiction, or null when it has none;
    /// <paramref name="unindexed"/>: whether it also has filters no index serves (category, source).
    /// </summary>
    public static async Task<HazardSelection> SelectAsync(AppDbContext db, IQueryable<Hazard> filtered, string q, string? regionCode,
        IQueryable<Hazard>? indexed, bool unindexed, CancellationToken ct)
    {
        if (Numbering.IsNumber(q, "YH"))
        {
            // A whole hazard number is looked up by its unique index, not searched for in every row's text.
            var number = q.ToUpperInvariant();
            return new HazardSelection(filtered.Where(h => h.Number == number));
        }

        var matches = Matches(q);
        var many = filtered.Where(matches);
        var (blocks, exact) = await TextCandidatesAsync(db, q, ct);

        // The other ways to match: the mine's name (the mines in the jurisdiction, as the join of Matches sees them) and
        // the number (a text that is a number took the branch above; kept so that the candidates cover Matches whole).
        var mineIds = await db.Set<Mine>().Where(m => m.Name.Contains(q)).Select(m => m.Id).ToListAsync(ct);
        var others = await db.Set<Hazard>().Where(h => h.Number == q || EF.Parameter(mineIds).Contains(h.MineId))
            .Select(h => h.Id).Take(Paging.CountCap + 1).ToListAsync(ct);
        var everything = indexed is null && !unindexed && string.IsNullOrWhiteSpace(regionCode) && db.Scope is { AllRegions: true, EnterpriseId: null };
        if (others.Count > Paging.CountCap)
        {
            // A name shared by many mines (煤矿): more than 10,000 match, and the candidates are not all known.
            return new HazardSelection(many, everything ? _ => Task.FromResult(Count(Paging.CountCap + 1)) : null);
        }

        foreach (var id in others)
        {
            Set(blocks, id);
        }

        // The jurisdiction and the region filter: the hazards of their province, city or county, from the index too.
        foreach (var prefix in new[] { db.Scope.AllRegions ? null : db.Scope.Low, string.IsNullOrWhiteSpace(regionCode) ? null : RegionCodes.Prefix(regionCode.Trim()) })
        {
            if (prefix is not null && RegionTerm(prefix) is { } term)
            {
                blocks = And(blocks, await LoadAsync(db, term, ct));
            }
        }

        var candidates = Ids(blocks);
        if (indexed is not null && candidates.Length > FewCandidates)
        {
            // Other filters with an index (open, a state, a mine…): their ids, read from that index, narrow the candidates
            // when they are not too many to read (a long period is).
            var ids = await indexed.Select(h => h.Id).Take(FilterIds + 1).ToListAsync(ct);
            if (ids.Count <= FilterIds)
            {
                var set = ids.ToHashSet();
                candidates = candidates.Where(set.Contains).ToArray();
            }
        }

        if (candidates.Length <= FewCandidates || (candidates.Length <= Paging.CountCap && !(everything && exact)))
        {
            // Read once, by id: the matches' times give the count and every page. Up to 10,000 candidates that need a
            // count, the count below would read them all by id anyway (and the page query run besides).
            var found = await filtered.Where(h => EF.Parameter(candidates).Contains(h.Id)).Where(matches).Select(h => new { h.Id, h.FoundAt }).ToListAsync(ct);
            return new HazardSelection(filtered, found.Select(h => (h.Id, h.FoundAt)).ToList());
        }

        if (everything && exact)
        {
            // One or two characters: every candidate matches, and every hazard is in the selection.
            return new HazardSelection(many, _ => Task.FromResult(Count(candidates.Length)));
        }

        return new HazardSelection(many, async token =>
        {
            // Confirmed by id, newest first, until 10,000 match: never more rows than the usual count reads in its index
            // (the candidates are a part of them), far fewer when the text or a filter is rare among them.
            var counted = 0;
            for (var at = 0; at < candidates.Length && counted <= Paging.CountCap;)
            {
                var take = Math.Min(candidates.Length - at, Math.Max(1000, Paging.CountCap + 1 - counted));
                var chunk = candidates[at..(at + take)];
                counted += await filtered.Where(h => EF.Parameter(chunk).Contains(h.Id)).Where(matches).CountAsync(token);
                at += take;
            }

            return Count(counted);
        });
    }

    private static (int Total, bool Capped) Count(int n) => n > Paging.CountCap ? (Paging.CountCap, true) : (n, false);

    /// <summary>
    /// The ids (newest first) of the hazards whose description or place may contain <paramref name="q"/>: all that do,
    /// and, when <c>Exact</c> is false (three or more characters, whose bigrams may occur apart), some that do not.
    /// </summary>
    public static async Task<(long[] Ids, bool Exact)> CandidatesAsync(AppDbContext db, string q, CancellationToken ct)
    {
        var (blocks, exact) = await TextCandidatesAsync(db, q, ct);
        return (Ids(blocks), exact);
    }

    private static async Task<(Dictionary<int, ulong[]> Blocks, bool Exact)> TextCandidatesAsync(AppDbContext db, string q, CancellationToken ct)
    {
        var runes = q.EnumerateRunes().Select(r => r.Value).ToArray();
        var index = db.Set<HazardGram>().AsNoTracking();
        var blocks = new Dictionary<int, ulong[]>();
        if (runes.Length == 1)
        {
            // Every occurrence of a character starts a bigram (the last one of a text with 0): the union of those bigrams.
            var (low, high) = (Code(runes[0], 0), Code(runes[0] + 1, 0));
            var rows = await index.Where(g => g.Gram >= low && g.Gram < high).Select(g => new { g.Block, g.Postings }).ToListAsync(ct);
            foreach (var row in rows)
            {
                if (!blocks.TryGetValue(row.Block, out var bits))
                {
                    blocks[row.Block] = bits = new ulong[Words];
                }

                Read(row.Postings, bits, union: true);
            }
        }
        else
        {
            var grams = Enumerable.Range(0, runes.Length - 1).Select(i => Code(runes[i], runes[i + 1])).Distinct().ToArray();
            var rows = await index.Where(g => grams.Contains(g.Gram)).Select(g => new { g.Gram, g.Block, g.Postings }).ToListAsync(ct);
            foreach (var block in rows.GroupBy(r => r.Block).Where(b => b.Count() == grams.Length))
            {
                var bits = new ulong[Words];
                Array.Fill(bits, ulong.MaxValue);
                foreach (var row in block)
                {
                    Read(row.Postings, bits, union: false);
                }

                blocks[block.Key] = bits;
            }
        }

        // One bigram is exactly the text; 0 stands for a text's end, so a word containing U+0000 is only a candidate set.
        return (blocks, runes.Length <= 2 && !runes.Contains(0));
    }

    /// <summary>One term's blocks.</summary>
    private static async Task<Dictionary<int, ulong[]>> LoadAsync(AppDbContext db, long term, CancellationToken ct)
    {
        var rows = await db.Set<HazardGram>().AsNoTracking().Where(g => g.Gram == term).Select(g => new { g.Block, g.Postings }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Block, r =>
        {
            var bits = new ulong[Words];
            Read(r.Postings, bits, union: true);
            return bits;
        });
    }

    private static Dictionary<int, ulong[]> And(Dictionary<int, ulong[]> a, Dictionary<int, ulong[]> b)
    {
        var result = new Dictionary<int, ulong[]>();
        foreach (var (block, bits) in a)
        {
            if (b.TryGetValue(block, out var other))
            {
                for (var w = 0; w < Words; w++)
                {
                    bits[w] &= other[w];
                }

                result[block] = bits;
            }
        }

        return result;
    }

    private static void Set(Dictionary<int, ulong[]> blocks, long id)
    {
        if (!blocks.TryGetValue(Block(id), out var bits))
        {
            blocks[Block(id)] = bits = new ulong[Words];
        }

        bits[Offset(id) >> 6] |= 1UL << (Offset(id) & 63);
    }

    /// <summary>The ids of the blocks, newest first.</summary>
    private static long[] Ids(Dictionary<int, ulong[]> blocks)
    {
        var ids = new List<long>();
        foreach (var (block, bits) in blocks.OrderByDescending(b => b.Key))
        {
            for (var w = Words - 1; w >= 0; w--)
            {
                for (var word = bits[w]; word != 0; word &= ~(1UL << (63 - BitOperations.LeadingZeroCount(word))))
                {
                    ids.Add(((long)block << BlockBits) | (long)((w * 64) + 63 - BitOperations.LeadingZeroCount(word)));
                }
            }
        }

        return ids.ToArray();
    }

    // ---- terms and posting blocks --------------------------------------------------------------------------

    public static long Code(int first, int second) => ((long)first << 21) | (uint)second;

    /// <summary>A hazard's terms: the bigrams of its description and place, its province, city and county.</summary>
    public static void AddTerms(string? description, string? location, string? regionCode, HashSet<long> terms)
    {
        AddGrams(description, terms);
        AddGrams(location, terms);
        foreach (var length in RegionLengths)
        {
            if (regionCode?.Length >= length && RegionTerm(regionCode[..length]) is { } term)
            {
                terms.Add(term);
            }
        }
    }

    /// <summary>
    /// The term of the hazards whose region code starts with the longest indexed part (6, 4 or 2 digits) of
    /// <paramref name="prefix"/> — all those starting with the prefix, and more when it is longer — or null. Negative, so
    /// it never equals a bigram; the leading 1 keeps a leading zero.
    /// </summary>
    public static long? RegionTerm(string prefix)
    {
        foreach (var length in RegionLengths)
        {
            if (prefix.Length >= length && prefix.AsSpan(0, length).IndexOfAnyExceptInRange('0', '9') < 0)
            {
                return -long.Parse("1" + prefix[..length], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>Adds the bigrams of <paramref name="text"/> (by code point), its last character with 0.</summary>
    public static void AddGrams(string? text, HashSet<long> grams)
    {
        var previous = -1;
        foreach (var rune in (text ?? "").EnumerateRunes())
        {
            if (previous >= 0)
            {
                grams.Add(Code(previous, rune.Value));
            }

            previous = rune.Value;
        }

        if (previous >= 0)
        {
            grams.Add(Code(previous, 0));
        }
    }

    /// <summary>The hazard ids a stored row holds.</summary>
    public static IEnumerable<long> Ids(HazardGram row)
    {
        var bits = new ulong[Words];
        Read(row.Postings, bits, union: true);
        for (var w = 0; w < Words; w++)
        {
            for (var word = bits[w]; word != 0; word &= word - 1)
            {
                yield return ((long)row.Block << BlockBits) | (long)((w * 64) + BitOperations.TrailingZeroCount(word));
            }
        }
    }

    private static int Block(long id) => (int)(id >> BlockBits);

    private static int Offset(long id) => (int)(id & ((1 << BlockBits) - 1));

    /// <summary>Unions (or intersects) a stored posting block into <paramref name="bits"/>.</summary>
    private static void Read(byte[] postings, ulong[] bits, bool union)
    {
        Span<ulong> stored = stackalloc ulong[Words];
        if (postings.Length == Words * 8)
        {
            for (var w = 0; w < Words; w++)
            {
                stored[w] = BinaryPrimitives.ReadUInt64LittleEndian(postings.AsSpan(w * 8));
            }
        }
        else
        {
            stored.Clear();
            for (var i = 0; i + 1 < postings.Length; i += 2)
            {
                var offset = BinaryPrimitives.ReadUInt16LittleEndian(postings.AsSpan(i));
                stored[offset >> 6] |= 1UL << (offset & 63);
            }
        }

        for (var w = 0; w < Words; w++)
        {
            bits[w] = union ? bits[w] | stored[w] : bits[w] & stored[w];
        }
    }

    /// <summary>The stored form of a block (the shorter of offsets and bitmap), or null when it holds no hazard.</summary>
    private static byte[]? Write(ulong[] bits)
    {
        var count = 0;
        foreach (var word in bits)
        {
            count += BitOperations.PopCount(word);
        }

        if (count == 0)
        {
            return null;
        }

        if (count >= ListLimit)
        {
            var bitmap = new byte[Words * 8];
            for (var w = 0; w < Words; w++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bitmap.AsSpan(w * 8), bits[w]);
            }

            return bitmap;
        }

        var list = new byte[count * 2];
        var at = 0;
        for (var w = 0; w < Words; w++)
        {
            for (var word = bits[w]; word != 0; word &= word - 1)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(list.AsSpan(at), (ushort)((w * 64) + BitOperations.TrailingZeroCount(word)));
                at += 2;
            }
        }

        return list;
    }

    // ---- keeping it exact ---------------------------------------------------------------------------------

    /// <summary>
    /// Every save that registers, deletes or changes the description or place of hazards changes the bigrams that differ,
    /// after the hazards are written (so a new hazard's id is known) and in the same transaction: a failed save leaves
    /// nothing behind. A state change (most saves) touches nothing here.
    /// </summary>
    public Func<AppDbContext, CancellationToken, Task>? Prepare(ChangeTracker changes)
    {
        List<(EntityEntry<Hazard> Entry, long[] Removed, long[] Added)>? edits = null;
        foreach (var e in changes.Entries<Hazard>())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            HashSet<long> before = [], after = [];
            if (e.State is EntityState.Modified or EntityState.Deleted)
            {
                var description = e.OriginalValues.GetValue<string>(nameof(Hazard.Description));
                var location = e.OriginalValues.GetValue<string>(nameof(Hazard.Location));
                var region = e.OriginalValues.GetValue<string>(nameof(Hazard.RegionCode));
                if (e.State == EntityState.Modified && description == e.Entity.Description && location == e.Entity.Location && region == e.Entity.RegionCode)
                {
                    continue;
                }

                AddTerms(description, location, region, before);
            }

            if (e.State is EntityState.Added or EntityState.Modified)
            {
                AddTerms(e.Entity.Description, e.Entity.Location, e.Entity.RegionCode, after);
            }

            var removed = before.Except(after).ToArray();
            var added = after.Except(before).ToArray();
            if (removed.Length + added.Length > 0)
            {
                (edits ??= []).Add((e, removed, added));
            }
        }

        if (edits is null)
        {
            return null;
        }

        return async (db, ct) =>
        {
            var changed = new List<(long Gram, long Id, bool Add)>();
            foreach (var (entry, removed, added) in edits)
            {
                // A new hazard's id is its entry's current value: EF gives it to the entity only once the save is accepted.
                var id = entry.Property(h => h.Id).CurrentValue;
                changed.AddRange(removed.Select(g => (g, id, false)));
                changed.AddRange(added.Select(g => (g, id, true)));
            }

            foreach (var block in changed.GroupBy(c => Block(c.Id)).OrderBy(b => b.Key))
            {
                var b = block.Key;
                if (db.IsPostgres)
                {
                    // Two registrations in the same block would otherwise read the same bitmaps and the later write lose the other's bit.
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey}, {b})", ct);
                }

                var grams = block.Select(c => c.Gram).Distinct().ToArray();
                var stored = await db.Set<HazardGram>().AsNoTracking().Where(g => g.Block == b && grams.Contains(g.Gram))
                    .ToDictionaryAsync(g => g.Gram, g => g.Postings, ct);
                foreach (var gram in block.GroupBy(c => c.Gram))
                {
                    var bits = new ulong[Words];
                    if (stored.TryGetValue(gram.Key, out var old))
                    {
                        Read(old, bits, union: true);
                    }

                    foreach (var (_, id, add) in gram)
                    {
                        var bit = 1UL << (Offset(id) & 63);
                        bits[Offset(id) >> 6] = add ? bits[Offset(id) >> 6] | bit : bits[Offset(id) >> 6] & ~bit;
                    }

                    var g = gram.Key;
                    if (Write(bits) is { } postings)
                    {
                        await db.Database.ExecuteSqlAsync(
                            $"INSERT INTO hazard_grams (gram, block, postings) VALUES ({g}, {b}, {postings}) ON CONFLICT (gram, block) DO UPDATE SET postings = excluded.postings", ct);
                    }
                    else if (old is not null)
                    {
                        await db.Database.ExecuteSqlAsync($"DELETE FROM hazard_grams WHERE gram = {g} AND block = {b}", ct);
                    }
                }
            }
        };
    }

    /// <summary>
    /// Recomputes the whole index from the hazards, in the caller's transaction (which must exist: bulk writes), reading
    /// the hazards in id order a batch at a time so that each block is complete before it is written. Returns the rows.
    /// </summary>
    public static async Task<int> RebuildAsync(AppDbContext db, CancellationToken ct)
    {
        await db.Set<HazardGram>().ExecuteDeleteAsync(ct);
        using var table = new BulkTable<HazardGram>(db, explicitKeys: true);
        var open = new Dictionary<long, ulong[]>();
        var grams = new HashSet<long>();
        var output = new List<HazardGram>();
        var current = -1;
        var written = 0;
        long after = 0;
        while (true)
        {
            var from = after;
            var batch = await db.Set<Hazard>().IgnoreQueryFilters().AsNoTracking().Where(h => h.Id > from).OrderBy(h => h.Id).Take(RebuildBatch)
                .Select(h => new { h.Id, h.Description, h.Location, h.RegionCode }).ToListAsync(ct);
            foreach (var h in batch)
            {
                if (Block(h.Id) != current)
                {
                    Close(current, open, output);
                    current = Block(h.Id);
                }

                grams.Clear();
                AddTerms(h.Description, h.Location, h.RegionCode, grams);
                foreach (var gram in grams)
                {
                    if (!open.TryGetValue(gram, out var bits))
                    {
                        open[gram] = bits = new ulong[Words];
                    }

                    bits[Offset(h.Id) >> 6] |= 1UL << (Offset(h.Id) & 63);
                }
            }

            var last = batch.Count < RebuildBatch;
            if (last)
            {
                Close(current, open, output);
            }

            await table.WriteAsync(output, ct);
            written += output.Count;
            output.Clear();
            if (last)
            {
                break;
            }

            after = batch[^1].Id;
        }

        await table.AnalyzeAsync(ct);
        return written;
    }

    private static void Close(int block, Dictionary<long, ulong[]> open, List<HazardGram> output)
    {
        foreach (var (gram, bits) in open)
        {
            output.Add(new HazardGram { Gram = gram, Block = block, Postings = Write(bits)! });
        }

        open.Clear();
    }

    /// <summary>At start: an installation that has hazards but no index (upgraded from a version without it) gets one.</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(AppDbContext db, IReadOnlyDictionary<string, TableInfo> tables, CancellationToken ct)
    {
        if (await db.Set<HazardGram>().AnyAsync(ct) || !await db.Set<Hazard>().IgnoreQueryFilters().AnyAsync(ct))
        {
            return [];
        }

        var rows = await RebuildAsync(db, ct);
        return [$"hazard_grams: 由现有隐患建立检索索引 {rows} 行"];
    }
}
