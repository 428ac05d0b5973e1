using System.Text.Encodings.Web;
using System.Text.Json;

namespace MineRisk.Web.Platform;

/// <summary>ECharts options built on the server and put in a <c>data-chart</c> attribute (see wwwroot/js/charts.js).</summary>
public static class Charts
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string ToJson(object option) => JsonSerializer.Serialize(option, Json);

    /// <summary>Stacked bars per category (e.g. county) with one series per group (e.g. grade), each bar linking to its list.</summary>
    public static string StackedBars(IReadOnlyList<string> categories, IReadOnlyList<(string Name, string Color, IReadOnlyList<int> Values, IReadOnlyList<string?> Links)> series) =>
        ToJson(new
        {
            animation = false,
            tooltip = new { trigger = "axis", axisPointer = new { type = "shadow" } },
            legend = new { top = 0 },
            grid = new { left = 40, right = 10, top = 30, bottom = 60 },
            xAxis = new { type = "category", data = categories, axisLabel = new { interval = 0, rotate = categories.Count > 6 ? 35 : 0 } },
            yAxis = new { type = "value", minInterval = 1 },
            series = series.Select(s => new { name = s.Name, type = "bar", stack = "total", itemStyle = new { color = s.Color }, data = s.Values, cursor = "pointer" }),
            links = series.Select(s => s.Links),
        });

    /// <summary>A line of scores over time (the assessment trend of a mine).</summary>
    public static string Trend(IReadOnlyList<string> dates, IReadOnlyList<double> scores, double high, double medium) =>
        ToJson(new
        {
            animation = false,
            tooltip = new { trigger = "axis" },
            grid = new { left = 36, right = 12, top = 16, bottom = 28 },
            xAxis = new { type = "category", data = dates },
            yAxis = new { type = "value", min = 0, max = 100 },
            series = new object[]
            {
                new
                {
                    name = "评估得分", type = "line", data = scores, symbolSize = 8, showSymbol = true, label = new { show = scores.Count <= 6, position = "top" },
                    markLine = new { silent = true, symbol = "none", data = new object[] { new { yAxis = high, name = "高" }, new { yAxis = medium, name = "中" } },
                        lineStyle = new { type = "dashed" }, label = new { formatter = "{b}", position = "insideEndTop" } },
                },
            },
        });

    /// <summary>Grouped bars per category (e.g. month or county) with a percentage line on a second axis (e.g. 整改率).</summary>
    public static string BarsWithRate(IReadOnlyList<string> categories, IReadOnlyList<(string Name, string Color, IReadOnlyList<int> Values)> bars, string rateName,
        IReadOnlyList<double?> rates, IReadOnlyList<string?>? links = null) =>
        ToJson(new
        {
            animation = false,
            tooltip = new { trigger = "axis" },
            legend = new { top = 0 },
            grid = new { left = 44, right = 44, top = 30, bottom = 60 },
            xAxis = new { type = "category", data = categories, axisLabel = new { interval = 0, rotate = categories.Count > 6 ? 35 : 0 } },
            yAxis = new object[] { new { type = "value", minInterval = 1 }, new { type = "value", min = 0, max = 100, axisLabel = new { formatter = "{value}%" } } },
            series = bars.Select(b => (object)new { name = b.Name, type = "bar", itemStyle = new { color = b.Color }, data = b.Values, cursor = links is null ? "default" : "pointer" })
                .Append(new { name = rateName, type = "line", yAxisIndex = 1, itemStyle = new { color = "#6f42c1" }, data = rates, connectNulls = true }),
            links = bars.Select(_ => links).Append(null),
        });
}
