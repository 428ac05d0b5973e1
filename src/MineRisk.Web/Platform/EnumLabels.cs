using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace MineRisk.Web.Platform;

/// <summary>Chinese display names of enum values, declared once with <see cref="DisplayAttribute"/> on the value.</summary>
public static class EnumLabels
{
    private static readonly ConcurrentDictionary<Enum, string> Cache = new();

    public static string Label(this Enum value) => Cache.GetOrAdd(value, static v =>
    {
        var member = v.GetType().GetField(v.ToString());
        return member?.GetCustomAttribute<DisplayAttribute>()?.Name ?? v.ToString();
    });

    /// <summary>All values of <typeparamref name="T"/> with their labels, in declaration order (for select lists).</summary>
    public static IReadOnlyList<(T Value, string Label)> All<T>() where T : struct, Enum => Values<T>.All;

    /// <summary>Parses a value by its name (case-insensitive) or its Chinese label.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _))
        {
            return true;
        }

        foreach (var v in Enum.GetValues<T>())
        {
            if (v.Label() == text)
            {
                value = v;
                return true;
            }
        }

        return false;
    }

    private static class Values<T> where T : struct, Enum
    {
        public static readonly IReadOnlyList<(T Value, string Label)> All = Enum.GetValues<T>().Select(v => (v, v.Label())).ToArray();
    }
}
