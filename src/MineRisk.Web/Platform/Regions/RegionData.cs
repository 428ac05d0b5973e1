namespace MineRisk.Web.Platform.Regions;

/// <summary>Region rows shipped with the app (regions.tsv: the country and its provinces; demo-regions.tsv).</summary>
public static class RegionData
{
    public static IReadOnlyList<Region> Base() => Load("regions.tsv");

    public static IReadOnlyList<Region> Demo() => Load("demo-regions.tsv");

    private static List<Region> Load(string file)
    {
        using var stream = typeof(RegionData).Assembly.GetManifestResourceStream($"MineRisk.Web.Platform.Regions.{file}")
            ?? throw new InvalidOperationException($"缺少区划数据 {file}");
        using var reader = new StreamReader(stream);
        var regions = new List<Region>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("code", StringComparison.Ordinal))
            {
                continue;
            }

            var f = line.Split('\t');
            regions.Add(new Region
            {
                Code = f[0],
                Name = f[1],
                Level = RegionCodes.LevelOf(f[0]),
                ParentCode = f.Length > 2 && f[2].Length > 0 ? f[2] : null,
            });
        }

        return regions;
    }
}
