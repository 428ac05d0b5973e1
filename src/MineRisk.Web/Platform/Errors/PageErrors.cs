using Microsoft.AspNetCore.Mvc.ModelBinding;
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
}
