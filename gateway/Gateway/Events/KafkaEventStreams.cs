using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;
using Federation.Gateway.Subscriptions;

namespace Federation.Gateway.Host.Events;

/// <summary>
/// The events of the supergraph's <c>@kafkaSubscribe</c> fields, read by the process's one consumer
/// (<see cref="DomainEventConsumer"/>) and fanned out in memory: each event is offered to every subscriber of its topic,
/// which keeps it when the event type, its argument filters and its owner match, in a buffer of its own (overflow ends
/// that subscriber, never the others). A subscriber that resumes from a cursor first reads the events it missed from
/// Kafka itself, exactly the offsets from its cursor to where the shared consumer was when it subscribed, per partition
/// in offset order; only then the live events queued meanwhile.
/// </summary>
public sealed partial class KafkaEventStreams(KafkaSource source, Func<EventStreamFields> fields, ILogger<KafkaEventStreams> logger)
    : IEventStreams, IDomainEventHandler
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReplayTimeout = TimeSpan.FromSeconds(30);

    private static readonly Meter Meter = new("Federation.Gateway.Events");

    private readonly Dictionary<string, TopicFeed> _feeds = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _replays = new(MaxReplays, MaxReplays);
    private int _serving;

    private const int MaxReplays = 4;

    /// <summary>Registers the gauges <c>federation_gateway_event_subscribers</c> and <c>federation_gateway_event_replays</c>.</summary>
    public void Observe()
    {
        Meter.CreateObservableGauge("federation.gateway.event_subscribers", () => SubscriberCount, description: "Subscribers of event-driven subscriptions now connected.");
        Meter.CreateObservableGauge("federation.gateway.event_replays", () => MaxReplays - _replays.CurrentCount, description: "Kafka consumers now replaying missed events for a resuming subscriber.");
    }

    public IReadOnlyCollection<string> Topics
    {
        get
        {
            var topics = new HashSet<string>(fields().Topics, StringComparer.Ordinal);
            lock (_feeds)
            {
                topics.UnionWith(_feeds.Keys);
            }

            return topics;
        }
    }

    /// <summary>Subscribers now connected, over all topics.</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_feeds)
            {
                return _feeds.Values.Sum(f => f.SubscriberCount);
            }
        }
    }

    public void Assigned(string topic, IReadOnlyList<TopicPartitionOffset> partitions)
    {
        var feed = Feed(topic);
        lock (feed)
        {
            foreach (var partition in partitions)
            {
                // A partition read from its beginning has every offset still to come.
                feed.Next[partition.Partition.Value] = partition.Offset.Value >= 0 ? partition.Offset.Value : 0;
            }

            feed.Ready.TrySetResult();
        }

        var declared = fields().Topics;
        bool all;
        lock (_feeds)
        {
            all = declared.All(t => _feeds.TryGetValue(t, out var f) && f.Ready.Task.IsCompleted);
        }

        if (all && declared.Contains(topic) && Interlocked.Exchange(ref _serving, 1) == 0)
        {
            Serving(logger, string.Join(", ", declared));
        }
    }


    public void Handle(ConsumeResult<Ignore, byte[]> result, CancellationToken stoppingToken)
    {
        var feed = Feed(result.Topic);
        using var envelope = Envelope.Read(result.Message.Value);
        lock (feed)
        {
            feed.Next[result.Partition.Value] = result.Offset.Value + 1;
            feed.Offer(result.Partition.Value, result.Offset.Value, envelope, Published(result.Message.Timestamp));
        }
    }

    public async IAsyncEnumerable<StreamEvent> SubscribeAsync(EventSubscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var topic = subscription.Field.Topic;
        var feed = Feed(topic);
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(ReadyTimeout);
            try
            {
                await feed.Ready.Task.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new EventStreamException($"The gateway is not reading topic {topic} yet; subscribe again shortly.", "SERVICE_UNAVAILABLE");
            }
        }

        var subscriber = new Subscriber(subscription);
        Dictionary<int, long> end;
        lock (feed)
        {
            end = new Dictionary<int, long>(feed.Next);
            foreach (var (partition, offset) in subscription.After?.Next ?? new Dictionary<int, long>())
            {
                subscriber.Next[partition] = offset;
            }

            foreach (var (partition, offset) in end)
            {
                subscriber.Next[partition] = Math.Max(offset, subscriber.Next.GetValueOrDefault(partition));
            }

            feed.Add(subscriber);
        }

        try
        {
            if (subscription.CurrentKey is { } currentKey)
            {
                yield return new StreamEvent(currentKey, new EventCursor(topic, new Dictionary<int, long>(end)), Current: true);
            }

            if (subscription.After is { } after)
            {
                var position = new Dictionary<int, long>(end);
                foreach (var (partition, offset) in after.Next)
                {
                    position[partition] = offset;
                }

                foreach (var partition in end.Keys.Where(p => !after.Next.ContainsKey(p)))
                {
                    position[partition] = 0;
                }

                await foreach (var (partition, offset, key) in ReplayAsync(subscriber, position, end, cancellationToken))
                {
                    position[partition] = offset + 1;
                    yield return new StreamEvent(key, new EventCursor(topic, new Dictionary<int, long>(position)), Id: $"{topic}/{partition}/{offset}");
                }
            }

            await foreach (var item in subscriber.Events.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }

            if (subscriber.Failure is { } failure)
            {
                throw failure;
            }
        }
        finally
        {
            lock (feed)
            {
                feed.Remove(subscriber);
            }
        }
    }

    /// <summary>The subscriber's events at offsets [from, until) of each partition, read by a consumer of their own.</summary>
    private async IAsyncEnumerable<(int Partition, long Offset, string Key)> ReplayAsync(
        Subscriber subscriber, Dictionary<int, long> from, Dictionary<int, long> until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var wanted = from.Where(p => until.TryGetValue(p.Key, out var end) && p.Value < end).ToDictionary();
        if (wanted.Count == 0)
        {
            yield break;
        }

        var topic = subscriber.Subscription.Field.Topic;
        var channel = Channel.CreateBounded<(int, long, string)>(new BoundedChannelOptions(subscriber.Subscription.BufferSize) { SingleReader = true, SingleWriter = true });
        await _replays.WaitAsync(cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    Replay(subscriber, topic, wanted, until, channel.Writer, stop.Token);
                    channel.Writer.TryComplete();
                }
                catch (Exception e)
                {
                    channel.Writer.TryComplete(e);
                }
            },
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            while (true)
            {
                // A failed replay completes the channel with its exception, which this rethrows.
                if (!await channel.Reader.WaitToReadAsync(cancellationToken))
                {
                    break;
                }

                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await reader;
            }
            catch (OperationCanceledException)
            {
                // The subscriber left during the replay.
            }

            _replays.Release();
        }
    }

    private void Replay(Subscriber subscriber, string topic, Dictionary<int, long> from, Dictionary<int, long> until, ChannelWriter<(int, long, string)> writer, CancellationToken stop)
    {
        using var consumer = DomainEventConsumer.Build(source, "federation-gateway-replay", reason => DomainEventConsumer.KafkaError(logger, reason));
        var assignment = new List<TopicPartitionOffset>();
        foreach (var (partition, offset) in from)
        {
            var low = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), ReplayTimeout).Low.Value;
            if (offset < low && subscriber.Subscription.After?.Next.ContainsKey(partition) == true)
            {
                throw new EventStreamException(
                    $"The cursor's offset {offset} of {topic} partition {partition} is no longer kept (the oldest is {low}); subscribe without a cursor.",
                    "CURSOR_EXPIRED");
            }

            assignment.Add(new TopicPartitionOffset(topic, partition, Math.Max(offset, low)));
        }

        var left = assignment.Where(a => a.Offset.Value < until[a.Partition.Value]).Select(a => a.Partition.Value).ToHashSet();
        consumer.Assign(assignment.Where(a => left.Contains(a.Partition.Value)));
        var deadline = DateTime.UtcNow + ReplayTimeout;
        while (left.Count > 0)
        {
            stop.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new EventStreamException($"Reading the missed events of {topic} took longer than {ReplayTimeout.TotalSeconds:0} s; subscribe again.", "SERVICE_UNAVAILABLE");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message?.Value is null || !left.Contains(result.Partition.Value))
            {
                continue;
            }

            if (result.Offset.Value < until[result.Partition.Value])
            {
                using var envelope = Envelope.Read(result.Message.Value);
                if (subscriber.Matches(envelope) is { } key)
                {
                    writer.WriteAsync((result.Partition.Value, result.Offset.Value, key), stop).AsTask().GetAwaiter().GetResult();
                }
            }

            if (result.Offset.Value + 1 >= until[result.Partition.Value])
            {
                left.Remove(result.Partition.Value);
            }
        }
    }

    private static DateTimeOffset? Published(Timestamp timestamp) =>
        timestamp.Type == TimestampType.NotAvailable ? null : new DateTimeOffset(timestamp.UtcDateTime, TimeSpan.Zero);

    private TopicFeed Feed(string topic)
    {
        lock (_feeds)
        {
            if (!_feeds.TryGetValue(topic, out var feed))
            {
                _feeds[topic] = feed = new TopicFeed(topic);
            }

            return feed;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event-driven subscriptions are served from {Topics}.")]
    private static partial void Serving(ILogger logger, string topics);

    /// <summary>One topic's subscribers and the shared consumer's position in it; guarded by locking the feed.</summary>
    private sealed class TopicFeed(string topic)
    {
        private readonly List<Subscriber> _subscribers = [];

        public string Topic { get; } = topic;

        /// <summary>Per partition, the offset of the next event the shared consumer hands out.</summary>
        public Dictionary<int, long> Next { get; } = [];

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int SubscriberCount => _subscribers.Count;

        public void Add(Subscriber subscriber) => _subscribers.Add(subscriber);

        public void Remove(Subscriber subscriber) => _subscribers.Remove(subscriber);

        public void Offer(int partition, long offset, Envelope envelope, DateTimeOffset? publishedAt)
        {
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Offer(Topic, partition, offset, envelope, publishedAt))
                {
                    _subscribers.RemoveAt(i);
                }
            }
        }
    }

    private sealed class Subscriber(EventSubscription subscription)
    {
        public EventSubscription Subscription { get; } = subscription;

        /// <summary>Per partition, the offset after the last event offered (kept or filtered out): the cursor.</summary>
        public Dictionary<int, long> Next { get; } = [];

        public Channel<StreamEvent> Events { get; } = Channel.CreateBounded<StreamEvent>(new BoundedChannelOptions(subscription.BufferSize) { SingleReader = true, SingleWriter = true });

        public EventStreamException? Failure { get; private set; }

        /// <summary>False when the subscriber fell a whole buffer behind and is ended.</summary>
        public bool Offer(string topic, int partition, long offset, Envelope envelope, DateTimeOffset? publishedAt)
        {
            // A cursor from a gateway that was further along: its events were seen already.
            if (offset < Next.GetValueOrDefault(partition))
            {
                return true;
            }

            Next[partition] = offset + 1;
            if (Matches(envelope) is not { } key)
            {
                return true;
            }

            if (Events.Writer.TryWrite(new StreamEvent(key, new EventCursor(topic, new Dictionary<int, long>(Next)), Id: $"{topic}/{partition}/{offset}", PublishedAt: publishedAt)))
            {
                return true;
            }

            Failure = new EventStreamException(
                $"The subscriber fell {Subscription.BufferSize} events behind and was closed; read events faster or raise Subscriptions:BufferSize.",
                "SUBSCRIPTION_BUFFER_OVERFLOW");
            Events.Writer.TryComplete();
            return false;
        }

        /// <summary>The key of the entity the event names when it is one of this subscriber's; null otherwise.</summary>
        public string? Matches(Envelope envelope)
        {
            var field = Subscription.Field;
            if (envelope.Type is not { } type || !field.Events.Contains(type) || envelope.Data is not { } data)
            {
                return null;
            }

            foreach (var (property, value) in Subscription.Arguments)
            {
                if (!data.TryGetProperty(property, out var actual) || EventStreamField.Text(actual) != value)
                {
                    return null;
                }
            }

            if (Subscription.Owner is { } owner && (field.Owner is null || !data.TryGetProperty(field.Owner, out var user) || EventStreamField.Text(user) != owner))
            {
                return null;
            }

            return data.TryGetProperty(field.KeyProperty, out var key) ? EventStreamField.Text(key) : null;
        }
    }

    /// <summary>An event envelope as the kit's outbox writes it (<c>type</c>, <c>data</c>), parsed once for every subscriber.</summary>
    private sealed class Envelope : IDisposable
    {
        private readonly JsonDocument? _document;

        private Envelope(JsonDocument? document)
        {
            _document = document;
            if (document?.RootElement is { ValueKind: JsonValueKind.Object } root)
            {
                Type = root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
                Data = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data : null;
            }
        }

        public string? Type { get; }

        public JsonElement? Data { get; }

        public static Envelope Read(byte[] value)
        {
            try
            {
                return new Envelope(JsonDocument.Parse(value));
            }
            catch (JsonException)
            {
                return new Envelope(null);
            }
        }

        public void Dispose() => _document?.Dispose();
    }
}
