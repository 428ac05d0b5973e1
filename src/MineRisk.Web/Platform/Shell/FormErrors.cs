using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace MineRisk.Web.Platform.Shell;

/// <summary>The messages of one form field by its key (for fields named at run time, e.g. <c>scores.wage_arrears</c>).</summary>
public static class FormErrors
{
    public static string ErrorText(this ViewDataDictionary viewData, string key) =>
        viewData.ModelState.TryGetValue(key, out var entry) ? string.Join("", entry.Errors.Select(e => e.ErrorMessage)) : "";
}
