namespace MineRisk.Web.Platform.Errors;

/// <summary>
/// An expected failure, with a message in Chinese for the person who caused it (STYLE habit 4).
/// Mapped to ProblemDetails (API) and to page messages in one place: <see cref="ErrorResults"/>.
/// </summary>
public abstract record Error(string Message);

/// <summary>404: missing, or outside the caller's jurisdiction (the two are indistinguishable on purpose).</summary>
public sealed record NotFoundError(string Message = "未找到该记录，或该记录不在您的管辖范围内。") : Error(Message);

/// <summary>401: wrong or missing credentials.</summary>
public sealed record UnauthorizedError(string Message) : Error(Message);

/// <summary>423: the account is locked (too many wrong passwords).</summary>
public sealed record LockedError(string Message) : Error(Message);

/// <summary>403: the caller may see the thing but not do this to it.</summary>
public sealed record ForbiddenError(string Message) : Error(Message);

/// <summary>409: the state of the thing does not allow the action (wrong workflow state, stale edit, duplicate).</summary>
public sealed record ConflictError(string Message) : Error(Message);

/// <summary>400: the request itself is wrong; <paramref name="Fields"/> names the offending fields.</summary>
public sealed record ValidationError(string Message, IReadOnlyDictionary<string, string[]>? Fields = null) : Error(Message)
{
    public static ValidationError For(string field, string message) =>
        new(message, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>413: an upload over its size limit.</summary>
public sealed record TooLargeError(string Message) : Error(Message);

/// <summary>415: an upload whose content is not of an allowed type (or does not match its name).</summary>
public sealed record UnsupportedTypeError(string Message) : Error(Message);

/// <summary>422: a well-formed request the domain rejects (e.g. a feed file whose content is wrong).</summary>
public sealed record UnprocessableError(string Message) : Error(Message);

/// <summary>
/// The outcome of an operation that can fail in an expected way: a value, or an <see cref="Error"/>.
/// </summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }

    public bool IsOk => Error is null;

    public T Value => Error is null ? _value! : throw new InvalidOperationException($"结果是错误：{Error.Message}");

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);

    public bool TryGetError([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Error? error)
    {
        error = Error;
        return error is not null;
    }

    public bool TryGetValue([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Error? error)
    {
        value = _value!;
        error = Error;
        return error is null;
    }
}

/// <summary>A result with no value.</summary>
public readonly struct Result
{
    private Result(Error? error) => Error = error;

    public Error? Error { get; }

    public bool IsOk => Error is null;

    public static Result Ok => default;

    public static implicit operator Result(Error error) => new(error);

    public bool TryGetError([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Error? error)
    {
        error = Error;
        return error is not null;
    }
}
