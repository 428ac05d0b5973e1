using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
namespace MineRisk.Web.Platform.Errors;

/// <summary>
/// Puts a validation error's field messages on a form (API field names are camelCase, form properties PascalCase):
/// under <c>prefix.Field</c>, or plain <c>Field</c> when the form binds loose parameters (prefix "").
/// </summary>
public static class PageErrors
{
    public static void AddTo(this Error error, ModelStateDictionary state, string prefix)
    {
        if (error is ValidationError { Fields: { Count: > 0 } fields })
        {
            foreach (var (field, messages) in fields)
            {
                foreach (var message in messages)
                {
                    var name = $"{char.ToUpperInvariant(field[0])}{field[1..]}";
                    state.AddModelError(prefix.Length == 0 ? name : $"{prefix}.{name}", message);
                }
            }

            return;
        }

        state.AddModelError("", error.Message);
    }

    /// <summary>
    /// The answer to a posted step on an item's page: not found stays not found; a refusal to someone whose role may not act
    /// at all goes to 无权访问; any other error, or the success message, is shown on the item's page after a redirect.
    /// </summary>
    public static IActionResult Outcome(this PageModel page, Error? error, string message, string itemUrl, bool roleMayAct)
    {
        switch (error)
        {
            case NotFoundError:
                return new NotFoundResult();
            case ForbiddenError when !roleMayAct:
                return new ForbidResult();
            case not null:
                page.TempData["Error"] = error.Message;
                break;
            default:
                page.TempData["Message"] = message;
                break;
        }

        return new RedirectResult(itemUrl);
    }
}
