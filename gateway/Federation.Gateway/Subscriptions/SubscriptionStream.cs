using System.Text.Json.Nodes;
using System.Threading.Channels;
using Federation.Gateway.Pipeline;
using Federation.Gateway.Transport;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Subscriptions;

/// <summary>What feeds a subscription: each item is the answer of the plan's root fetch.</summary>
public interface ISubscriptionSource
{
    /// <summary>The subgraph, or the topic of an event-driven field, named in logs and errors.</summary>
    string Name { get; }

    IAsyncEnumerable<SourceEvent> ReadAsync(CancellationToken cancellationToken);
}

/// <param name="Answer">The root fetch's answer the event stands for.</param>
/// <param name="Extensions">Added to the event's <c>extensions</c> (an event stream's cursor).</param>
/// <param name="Refusal">
/// Set for the entity as it is now, sent before any event: when the caller may not read it (its data is null) the stream
/// ends with that answer, this error added, instead of waiting for events the caller would never be shown.
/// </param>
/// <param name="EventId">Identifies an event every subscriber of its topic gets (topic/partition/offset), so they may share its resolution.</param>
/// <param name="PublishedAt">When a live event was published, for <see cref="GatewayTelemetry"/>'s event lag.</param>
public sealed record SourceEvent(JsonObject Answer, JsonObject? Extensions = null, string? Refusal = null, string? EventId = null, DateTimeOffset? PublishedAt = null);

/// <summary>Where a subscription's root fetch is opened: the subgraph declaring the root field and what it is sent.</summary>
public sealed record SubscriptionSource(
    string Subgraph, Uri Url, JsonObject Request, IReadOnlyDictionary<string, string>? Headers, ISubgraphSubscriptions Client) : ISubscriptionSource
{
    public string Name => Subgraph;

    public async IAsyncEnumerable<SourceEvent> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var answer in Client.SubscribeAsync(Subgraph, Url, Request, Headers, cancellationToken))
        {
            yield return new SourceEvent(answer);
        }
    }
}

/// <summary>
/// One subscriber's events. Reading it opens the subscription at the subgraph; each event is completed through the
/// plan (<c>events</c>) as soon as it arrives and waits in a buffer of <see cref="SubscriptionOptions.BufferSize"/>
/// until the transport takes it. The stream ends with the subgraph's completion, or with one last answer carrying an
/// error when the buffer overflowed (<c>SUBSCRIPTION_BUFFER_OVERFLOW</c>), the supergraph was reloaded
/// (<c>SUBSCRIPTION_SCHEMA_RELOAD</c>), the caller's token expired (<c>UNAUTHENTICATED</c>) or the subgraph's stream
/// failed (<c>DOWNSTREAM_SERVICE_ERROR</c>). Disposing the enumerator (the client left) ends the subgraph's
/// subscription before it returns.
/// </summary>
public sealed class SubscriptionStream(
    RequestContext subscription,
    ISubscriptionSource source,
    Func<SourceEvent, CancellationToken, Task<GatewayResult>> events,
    SubscriptionOptions options,
    TimeProvider time,
    ILogger logger) : IAsyncEnumerable<GatewayResult>
{
    private int _read;

    /// <summary>The subgraph, or the topic, whose events feed the stream.</summary>
    public string Subgraph => source.Name;

    public async IAsyncEnumerator<GatewayResult> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _read, 1) == 1)
        {
            throw new InvalidOperationException("A subscription stream can be read once.");
        }

        // One slot beyond the buffer so the closing answer always fits behind the events already waiting.
        var channel = Channel.CreateBounded<Completed>(new BoundedChannelOptions(options.BufferSize + 1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpAsync(channel, stop.Token);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    if (item.PublishedAt is { } published)
                    {
                        GatewayTelemetry.RecordEventLag(source.Name, time.GetUtcNow() - published);
                    }

                    yield return item.Result;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    /// <summary>Never throws: every way the subscription can end becomes the channel's completion.</summary>
    private async Task PumpAsync(Channel<Completed> channel, CancellationToken stop)
    {
        var retired = subscription.Schema.Retired;
        using var expiry = Expiry();
        using var upstream = CancellationTokenSource.CreateLinkedTokenSource(stop, retired, expiry?.Token ?? CancellationToken.None);
        var reason = "completed";
        long count = 0;
        try
        {
            await foreach (var item in source.ReadAsync(upstream.Token))
            {
                var result = await events(item, upstream.Token);
                if (item.Extensions is not null)
                {
                    var extensions = result.Body["extensions"] as JsonObject ?? [];
                    foreach (var (name, value) in item.Extensions)
                    {
                        extensions[name] = value?.DeepClone();
                    }

                    result.Body["extensions"] = extensions;
                }

                if (item.Refusal is { } refusal && !Readable(result))
                {
                    reason = "refused";
                    var errors = result.Body["errors"] as JsonArray ?? [];
                    errors.Add(GraphQLErrors.Error(refusal, "NOT_FOUND"));
                    result.Body["errors"] = errors;
                    channel.Writer.TryWrite(new Completed(result, null));
                    return;
                }
                if (channel.Reader.Count >= options.BufferSize)
                {
                    reason = "buffer overflow";
                    channel.Writer.TryWrite(new Completed(Closing(
                        $"The subscriber fell {options.BufferSize} events behind and was closed; read events faster or raise Subscriptions:BufferSize.",
                        "SUBSCRIPTION_BUFFER_OVERFLOW"), null));
                    return;
                }

                channel.Writer.TryWrite(new Completed(result, item.PublishedAt));
                count++;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            reason = "client left";
        }
        catch (OperationCanceledException) when (retired.IsCancellationRequested)
        {
            reason = "schema reload";
            channel.Writer.TryWrite(new Completed(Closing("subscription has been closed due to a schema reload", "SUBSCRIPTION_SCHEMA_RELOAD"), null));
        }
        catch (OperationCanceledException) when (expiry?.IsCancellationRequested == true)
        {
            reason = "token expired";
            channel.Writer.TryWrite(new Completed(Closing("The token has expired.", "UNAUTHENTICATED"), null));
        }
        catch (EventStreamException e)
        {
            reason = e.Code;
            channel.Writer.TryWrite(new Completed(Closing(e.Message, e.Code), null));
        }
        catch (SubgraphException e)
        {
            reason = "subgraph failed";
            logger.SubscriptionFailed(subscription.RequestId, subscription.OperationName, source.Name, e.Message);
            var extensions = new JsonObject { ["serviceName"] = source.Name };
            channel.Writer.TryWrite(new Completed(Closing(e.Message, "DOWNSTREAM_SERVICE_ERROR", extensions), null));
        }
        catch (Exception e)
        {
            reason = "internal error";
            logger.Unexpected(e, subscription.RequestId, subscription.OperationName);
            channel.Writer.TryWrite(new Completed(Closing("Internal server error.", "INTERNAL_SERVER_ERROR", new JsonObject { ["requestId"] = subscription.RequestId }), null));
        }
        finally
        {
            channel.Writer.TryComplete();
            logger.SubscriptionEnded(subscription.RequestId, subscription.OperationName, reason, count);
        }
    }

    /// <summary>Cancelled when the caller's token expires; null for an anonymous caller or a token without expiry.</summary>
    private CancellationTokenSource? Expiry()
    {
        if (subscription.Request.Caller?.Expires is not { } expires)
        {
            return null;
        }

        return new CancellationTokenSource(DelayUntil(expires, time), time);
    }

    /// <summary>
    /// The timer delay until <paramref name="expires"/>. Timers wait at most about 49 days: a token valid for longer
    /// ends its streams then, earlier than it had to, never later.
    /// </summary>
    public static TimeSpan DelayUntil(DateTimeOffset expires, TimeProvider time)
    {
        var left = expires - time.GetUtcNow();
        return left <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(left.TotalMilliseconds, uint.MaxValue - 1.0));
    }

    private static bool Readable(GatewayResult result) => result.Body["data"] is JsonObject { Count: > 0 } data && data.All(f => f.Value is not null);

    private static GatewayResult Closing(string message, string code, JsonObject? extensions = null) =>
        new(200, new JsonObject { ["errors"] = new JsonArray(GraphQLErrors.Error(message, code, extensions: extensions)) });

    /// <summary>An answer waiting for the transport, with when its event was published (live events only).</summary>
    private readonly record struct Completed(GatewayResult Result, DateTimeOffset? PublishedAt);
}
