using Microsoft.AspNetCore.Mvc.ModelBinding;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Mines;

/// <summary>Puts a validation error's field messages on a form (API field names are camelCase, form properties PascalCase).</summary>
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
                    state.AddModelError($"{prefix}.{char.ToUpperInvariant(field[0])}{field[1..]}", message);
                }
            }

            return;
        }

        state.AddModelError("", error.Message);
    }
}
