using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Federation.Gateway.Tests.Fixtures.Subscriptions;
using Federation.Kafka;

namespace Federation.Gateway.Tests.Subscriptions;

public sealed partial class EventDrivenSubscriptionTests
{
    private const int Sockets = 50;
    private const int OperationsPerSocket = 20;
    private const int Rounds = 10;

    /// <summary>
    /// 1,000 subscribers of one product's stock on one gateway (50 WebSockets of 20 operations): prints the latency from
    /// producing a StockChanged event to each subscriber's <c>next</c>, the gateway's resident memory per subscriber,
    /// and that subscribers and replay consumers are back to zero once every client left. Bounds are generous on purpose:
    /// the numbers are for reading, the machine is shared.
    /// </summary>
    [Fact]
    public async Task StockChanged_Should_ReachAThousandSubscribersAndFreeThemAll_When_OneEventPerRoundIsProduced()
    {
        // arrange
        var productId = (await ProductIdsAsync(1, skip: 45))[0];
        await AdjustStockAsync(productId, 1);
        var baseline = fixture.Gateway.ResidentBytes;
        var clients = new List<GraphQLWsClient>();
        for (var socket = 0; socket < Sockets; socket++)
        {
            var client = await fixture.ConnectAsync(null);
            clients.Add(client);
            for (var operation = 0; operation < OperationsPerSocket; operation++)
            {
                await client.SubscribeAsync(operation.ToString(CultureInfo.InvariantCulture), StockChanged, new JsonObject { ["productId"] = productId });
            }

            for (var operation = 0; operation < OperationsPerSocket; operation++)
            {
                Assert.Equal("next", (await client.ReceiveAsync())["type"]?.GetValue<string>());
            }
        }

        var subscribed = fixture.Gateway.ResidentBytes;
        var gaugeSubscribed = await GaugeAsync("federation_gateway_event_subscribers");
        var (stock, _) = await StockAsync(productId);
        var latencies = new List<double>();
        var lagBefore = await LagBucketsAsync("kafka:inventory.stock.v1");
        KafkaNativeLibrary.EnsureLoaded();
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = fixture.Subgraphs.KafkaBootstrapServers }).Build();

        // act: the same stock figures again, so the subgraphs that also read the event change nothing.
        for (var round = 0; round < Rounds; round++)
        {
            var started = Stopwatch.GetTimestamp();
            await producer.ProduceAsync("inventory.stock.v1", new Message<string, byte[]> { Key = productId, Value = StockChangedEnvelope(productId, stock) });
            var received = await Task.WhenAll(clients.Select(async client =>
            {
                var times = new List<double>();
                for (var i = 0; i < OperationsPerSocket; i++)
                {
                    var next = await client.ReceiveAsync();
                    Assert.Equal(productId, next["payload"]!["data"]!["stockChanged"]!["id"]!.GetValue<string>());
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                return times;
            }));
            latencies.AddRange(received.SelectMany(t => t));
        }

        var lagAfter = await LagBucketsAsync("kafka:inventory.stock.v1");
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        var gaugeAfter = await WaitForGaugeAsync("federation_gateway_event_subscribers", 0);
        var replaysAfter = await GaugeAsync("federation_gateway_event_replays");
        var after = fixture.Gateway.ResidentBytes;

        // assert
        latencies.Sort();
        var (p50, p99) = (latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
        var perSubscriber = (subscribed - baseline) / (double)(Sockets * OperationsPerSocket);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Sockets * OperationsPerSocket} subscribers, {Rounds} events: event-to-client p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms"));
        var lag = lagAfter.ToDictionary(b => b.Key, b => b.Value - lagBefore.GetValueOrDefault(b.Key));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gateway side (event's Kafka timestamp to its answer handed to the socket, {lag[double.PositiveInfinity]} answers): p50 <= {BucketQuantile(lag, 0.5) * 1000:0} ms, p99 <= {BucketQuantile(lag, 0.99) * 1000:0} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gateway RSS: baseline {baseline / 1048576.0:0.0} MiB, subscribed {subscribed / 1048576.0:0.0} MiB ({perSubscriber / 1024:0.0} KiB per subscriber), after all left {after / 1048576.0:0.0} MiB; subscribers gauge {gaugeSubscribed} -> {gaugeAfter}, replays {replaysAfter}"));
        Assert.Equal(Sockets * OperationsPerSocket * Rounds, latencies.Count);
        Assert.Equal(Sockets * OperationsPerSocket * Rounds, lag[double.PositiveInfinity]);
        Assert.Equal(Sockets * OperationsPerSocket, gaugeSubscribed);
        Assert.Equal(0, gaugeAfter);
        Assert.Equal(0, replaysAfter);
        Assert.InRange(p99, 0, 10_000);
        Assert.InRange(perSubscriber, double.MinValue, 1024 * 1024);
    }

    private static byte[] StockChangedEnvelope(string productId, JsonNode stock) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["type"] = "StockChanged",
            ["source"] = "gateway-tests",
            ["occurredAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["subject"] = productId,
            ["schemaVersion"] = 1,
            ["data"] = new JsonObject
            {
                ["productId"] = int.Parse(productId, CultureInfo.InvariantCulture),
                ["onHand"] = stock["onHand"]!.DeepClone(),
                ["reserved"] = stock["reserved"]!.DeepClone(),
                ["available"] = stock["available"]!.DeepClone(),
            },
        }.ToJsonString());

    private async Task<(JsonNode Stock, string Id)> StockAsync(string productId)
    {
        var (_, body) = await fixture.Gateway.PostAsync(
            "query Stock($id: ID!) { product(id: $id) { id stock { onHand reserved available } } }", new JsonObject { ["id"] = productId });
        return (body["data"]!["product"]!["stock"]!, productId);
    }

    private async Task<long> GaugeAsync(string name)
    {
        var text = await MetricsAsync();
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && !l.StartsWith(name + "_", StringComparison.Ordinal));
        return line is null ? -1 : (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>The gateway's Prometheus exposition text.</summary>
    private async Task<string> MetricsAsync()
    {
        using var http = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };
        return await http.GetStringAsync("metrics");
    }

    /// <summary>The cumulative bucket counts (upper bound in seconds -> count) of the gateway's event lag histogram for <paramref name="source"/>.</summary>
    private async Task<SortedDictionary<double, long>> LagBucketsAsync(string source)
    {
        var text = await MetricsAsync();
        var buckets = new SortedDictionary<double, long>();
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("federation_gateway_subscription_event_lag_seconds_bucket{", StringComparison.Ordinal) && l.Contains($"source=\"{source}\"", StringComparison.Ordinal)))
        {
            var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
            le = le[..le.IndexOf('"', StringComparison.Ordinal)];
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            buckets[bound] = (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        buckets.TryAdd(double.PositiveInfinity, 0);

        return buckets;
    }

    /// <summary>The upper bound of the bucket holding the <paramref name="quantile"/> of cumulative <paramref name="buckets"/>.</summary>
    private static double BucketQuantile(IReadOnlyDictionary<double, long> buckets, double quantile)
    {
        var rank = buckets[double.PositiveInfinity] * quantile;
        return buckets.OrderBy(b => b.Key).First(b => b.Value >= rank).Key;
    }

    /// <summary>The gauge once it reads <paramref name="expected"/>, or its last value after 15 s.</summary>
    private async Task<long> WaitForGaugeAsync(string name, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        long value;
        while ((value = await GaugeAsync(name)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return value;
    }
}
