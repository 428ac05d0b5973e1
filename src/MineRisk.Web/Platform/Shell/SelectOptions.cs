using System.Text;
using Microsoft.AspNetCore.Html;

namespace MineRisk.Web.Platform.Shell;

/// <summary>
/// The <c>&lt;option&gt;</c>s of a list page's filter, written as HTML. An <c>&lt;option&gt;</c> written in Razor runs
/// the option tag helper (it targets every option, to select by <c>asp-for</c>), and a filter form of 60 options ran 60
/// of them on every request; the filters say which option is selected themselves, so they need none.
/// </summary>
public static class SelectOptions
{
    /// <summary>
    /// One option per (value, label), <paramref name="selected"/> marked; <paramref name="all"/>, when given, is a first
    /// option with an empty value (no filter).
    /// </summary>
    public static IHtmlContent Of(IEnumerable<(string Value, string Label)> options, string? selected, string? all = "全部")
    {
        var html = new StringBuilder();
        if (all is not null)
        {
            Append(html, "", all, string.IsNullOrEmpty(selected));
        }

        foreach (var (value, label) in options)
        {
            Append(html, value, label, value == selected);
        }

        return new HtmlString(html.ToString());
    }

    /// <summary>The values of an enum with their Chinese labels, by name.</summary>
    public static IHtmlContent Of<T>(T? selected, string? all = "全部") where T : struct, Enum =>
        Of(EnumLabels.All<T>().Select(o => (o.Value.ToString(), o.Label)), selected?.ToString(), all);

    private static void Append(StringBuilder html, string value, string label, bool selected) =>
        html.Append("<option value=\"").Append(HtmlText.Encoder.Encode(value)).Append('"').Append(selected ? " selected" : "")
            .Append('>').Append(HtmlText.Encoder.Encode(label)).Append("</option>");
}
