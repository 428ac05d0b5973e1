using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>A change of an alarm, as the live pages receive it (<c>GET /api/v1/alarms/stream</c>).</summary>
public sealed record AlarmEvent(
    string Change, long Id, long MineId, string MineName, AlarmType Type, string TypeName, AlarmState State, string StateName,
    AlarmSource Source, string SubjectName, string Message, bool Major, double? Value, string Unit, DateTime At,
    [property: JsonIgnore] string RegionCode, [property: JsonIgnore] long? EnterpriseId) : IScoped
{
    public const string Raised = "raised";
    public const string Cleared = "cleared";
    public const string Acknowledged = "acknowledged";
    public const string Disposed = "disposed";

    public static AlarmEvent Of(string change, Alarm a, string mineName, DateTime at) => new(
        change, a.Id, a.MineId, mineName, a.Type, a.Type.Label(), a.State, a.State.Label(), a.Source, a.SubjectName, a.Message, a.Major,
        change == Cleared ? a.ClearValue ?? a.LastValue : a.LastValue, a.Unit, at, a.RegionCode, a.EnterpriseId);
}

/// <summary>
/// Fans alarm changes out to the open live pages of this instance, each filtered by its viewer's jurisdiction. A slow viewer
/// loses its oldest events rather than holding anyone up (the pages refresh their counts from the database anyway).
/// </summary>
public sealed class AlarmHub
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<Guid, (UserScope Scope, Channel<AlarmEvent> Channel)> _subscribers = new();

    public int Subscribers => _subscribers.Count;

    public void Publish(IReadOnlyCollection<AlarmEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        foreach (var (_, (scope, channel)) in _subscribers)
        {
            foreach (var e in events)
            {
                if (scope.Covers(e))
                {
                    channel.Writer.TryWrite(e);
                }
            }
        }
    }

    /// <summary>The events of a viewer's jurisdiction until they leave, with a comment-like <c>ping</c> now and then to keep proxies from closing the stream.</summary>
    public async IAsyncEnumerable<SseItem<AlarmEvent?>> SubscribeAsync(UserScope scope, [EnumeratorCancellation] CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<AlarmEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers[id] = (scope, channel);
        try
        {
            yield return new SseItem<AlarmEvent?>(null, "hello");
            while (!ct.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                beat.CancelAfter(Heartbeat);
                bool ready;
                try
                {
                    ready = await channel.Reader.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    ready = false;
                }

                if (!ready)
                {
                    if (ct.IsCancellationRequested)
                    {
                        yield break;
                    }

                    yield return new SseItem<AlarmEvent?>(null, "ping");
                    continue;
                }

                while (channel.Reader.TryRead(out var e))
                {
                    yield return new SseItem<AlarmEvent?>(e, "alarm");
                }
            }
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }
}
