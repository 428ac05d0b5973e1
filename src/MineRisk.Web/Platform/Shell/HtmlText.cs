using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace MineRisk.Web.Platform.Shell;

/// <summary>The encoder of HTML written in code (badges, filter options): Chinese as characters, as the pages write it.</summary>
internal static class HtmlText
{
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
}
