using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Testing.Servers;

namespace Federation.Gateway.Tests.Observability;

/// <summary>
/// Traces, metrics and logs of the real services: one checkout is one trace from the gateway through every Kafka hop,
/// every process serves Prometheus text on /metrics, and a message no handler can apply moves the dead-letter counter.
/// </summary>
public sealed class ObservabilityTests(CheckoutStackFixture fixture) : IClassFixture<CheckoutStackFixture>
{
    private const string PlaceOrder = """
        mutation PlaceOrder($input: PlaceOrderInput!, $key: String!) {
          placeOrder(input: $input, idempotencyKey: $key) { order { id } errors { code message } }
        }
        """;

    [Fact]
    public async Task Checkout_Should_BeOneTraceFromTheGatewayThroughEveryKafkaHop_When_PlacedThroughTheGateway()
    {
        // arrange
        const int user = 7;
        var product = await fixture.ScalarAsync("Inventory", "SELECT product_id FROM stock_items WHERE on_hand - reserved >= 5 ORDER BY product_id LIMIT 1");
        var notified = await fixture.ScalarAsync("Notifications", $"SELECT count(*) FROM notifications WHERE user_id = {user}");

        // act
        var order = await PlaceOrderAsync(user, product);
        await CheckoutStackFixture.WaitForAsync(
            async () => await fixture.ScalarAsync("Notifications", $"SELECT count(*) FROM notifications WHERE user_id = {user}") == notified + 2,
            "notifications to tell the buyer the order was placed and settled");
        var request = (await fixture.Receiver.WaitForSpansAsync(
            spans => spans.Any(s => s.Service == "gateway" && s.Attributes.GetValueOrDefault("graphql.operation.name") == "PlaceOrder" && Placed(spans, s.TraceId, order)),
            "the gateway's PlaceOrder span")).Single(s => s.Service == "gateway" && s.Attributes.GetValueOrDefault("graphql.operation.name") == "PlaceOrder" && Placed(fixture.Receiver.Spans, s.TraceId, order));
        // Each process exports its spans in its own batches, so a consumer span can arrive before its producer's:
        // the trace is complete once the consumers are in and every span's parent has arrived but the root's.
        var trace = await fixture.Receiver.WaitForSpansAsync(
            spans =>
            {
                var own = spans.Where(s => s.TraceId == request.TraceId).ToList();
                var ids = own.Select(s => s.SpanId).ToHashSet();
                return own.Count(s => s.Service == "notifications" && s.Kind == SpanKind.Consumer) >= 2
                    && own.Any(s => s.Service == "orders" && s.Kind == SpanKind.Consumer)
                    && own.Count(s => !ids.Contains(s.ParentSpanId)) == 1;
            },
            "the checkout's consumer spans, each with its parent");
        trace = [.. trace.Where(s => s.TraceId == request.TraceId)];
        var byId = trace.ToDictionary(s => s.SpanId);

        // assert
        Assert.Equal(["gateway", "inventory", "notifications", "orders", "payments"], trace.Select(s => s.Service).Distinct().Order());
        var root = Assert.Single(trace, s => !byId.ContainsKey(s.ParentSpanId));
        Assert.Equal(("gateway", SpanKind.Server), (root.Service, root.Kind));
        Assert.Equal(("mutation PlaceOrder", "mutation"), (request.Name, request.Attributes["graphql.operation.type"]));
        Assert.Matches("^[0-9A-F]{64}$", request.Attributes["graphql.document.hash"]);
        Assert.Equal(
            ["graphql.authorize", "graphql.cost", "graphql.execute", "graphql.limits", "graphql.operation", "graphql.parse", "graphql.persisted_document", "graphql.plan", "graphql.respond", "graphql.shape", "graphql.validate"],
            trace.Where(s => s.ParentSpanId == request.SpanId).Select(s => s.Name).Order());
        var fetch = Assert.Single(trace, s => s.Name == "fetch orders");
        Assert.Equal("orders", fetch.Attributes["subgraph.name"]);
        Assert.True(IsAncestor(byId, request, fetch));
        var ordersServer = Assert.Single(trace, s => s.Service == "orders" && s.Kind == SpanKind.Server);
        Assert.True(IsAncestor(byId, fetch, ordersServer), "the orders request continues the gateway's fetch (W3C traceparent)");
        Assert.Contains(trace, s => s.Service == "orders" && s.Attributes.ContainsKey("db.query.text") && IsAncestor(byId, ordersServer, s));
        Assert.Equal(
            ["inventory <- orders", "inventory <- payments", "notifications <- orders", "orders <- payments", "payments <- inventory"],
            trace.Where(s => s.Kind == SpanKind.Consumer)
                .Select(s => (Consumer: s, Producer: byId[s.ParentSpanId]))
                .Where(hop => hop.Producer.Kind == SpanKind.Producer && hop.Producer.Attributes["messaging.destination.name"] == hop.Consumer.Attributes["messaging.destination.name"])
                .Select(hop => $"{hop.Consumer.Service} <- {hop.Producer.Service}")
                .Distinct()
                .Order());
        Assert.All(trace.Where(s => s.Kind == SpanKind.Consumer), s => Assert.Equal(SpanKind.Producer, byId[s.ParentSpanId].Kind));
        await CheckoutStackFixture.WaitForAsync(() => Task.FromResult(fixture.Receiver.Logs.Any(l => l.Service == "orders" && l.TraceId == request.TraceId)), "an orders log record carrying the trace id");
    }

    [Fact]
    public async Task Metrics_Should_ServePrometheusTextWithTheNamedSeries_When_GatewayAndSubgraphAreScraped()
    {
        // arrange
        var product = await fixture.ScalarAsync("Inventory", "SELECT product_id FROM stock_items WHERE on_hand - reserved >= 5 ORDER BY product_id DESC LIMIT 1");
        await PlaceOrderAsync(8, product);
        var (_, invalid) = await fixture.Gateway.PostAsync("query Invalid { noSuchField }");

        // act
        var gateway = await ScrapeAsync(fixture.Gateway.BaseAddress);
        var orders = await ScrapeAsync(fixture.Subgraph("Orders").BaseAddress);

        // assert
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", invalid["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains(gateway, s => s.Name == "federation_gateway_requests_total" && s.Labels.GetValueOrDefault("graphql_operation_name") == "PlaceOrder" && s.Labels.GetValueOrDefault("graphql_operation_type") == "mutation" && s.Value >= 1);
        Assert.Contains(gateway, s => s.Name == "federation_gateway_errors_total" && s.Labels.GetValueOrDefault("error_code") == "GRAPHQL_VALIDATION_FAILED" && s.Value >= 1);
        Assert.Contains(gateway, s => s.Name == "federation_gateway_request_duration_seconds_bucket" && s.Labels.GetValueOrDefault("graphql_operation_name") == "PlaceOrder" && s.Labels["le"] == "+Inf");
        Assert.Contains(gateway, s => s.Name == "federation_gateway_subgraph_fetch_duration_seconds_count" && s.Labels.GetValueOrDefault("subgraph_name") == "orders" && s.Labels.GetValueOrDefault("outcome") == "ok");
        Assert.Contains(gateway, s => s.Name == "federation_gateway_circuit_state" && s.Labels.GetValueOrDefault("subgraph_name") == "orders" && s.Value == 0);
        Assert.Contains(gateway, s => s.Name == "federation_gateway_cache_lookups_total" && s.Labels.GetValueOrDefault("cache") == "document");
        Assert.Contains(gateway, s => s.Name == "federation_gateway_cache_lookups_total" && s.Labels.GetValueOrDefault("cache") == "plan");
        Assert.Contains(gateway, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == "/graphql");
        Assert.Contains(gateway, s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
        Assert.Contains(gateway, s => s.Name.StartsWith("dotnet_thread_pool_", StringComparison.Ordinal));
        Assert.Contains(orders, s => s.Name == "federation_messaging_published_total" && s.Labels.GetValueOrDefault("messaging_destination_name") == "orders.order.v1");
        Assert.Contains(orders, s => s.Name == "federation_messaging_publish_duration_seconds_bucket");
        Assert.Contains(orders, s => s.Name == "federation_messaging_outbox_pending");
        Assert.Contains(orders, s => s.Name == "federation_messaging_outbox_age_seconds");
        Assert.Contains(orders, s => s.Name == "federation_messaging_consumer_lag" && s.Labels.ContainsKey("messaging_destination_partition_id"));
        Assert.Contains(orders, s => s.Name == "federation_messaging_handler_duration_seconds_count" && s.Labels.GetValueOrDefault("outcome") == "applied");
        Assert.Contains(orders, s => s.Name == "federation_messaging_event_latency_seconds_bucket");
        Assert.Contains(orders, s => s.Name.StartsWith("db_client_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeadLetterCounter_Should_Move_When_AnEventNoHandlerCanReadIsConsumed()
    {
        // arrange
        const string topic = "orders.order.v1";
        var before = DeadLettered(await ScrapeAsync(fixture.Subgraph("Inventory").BaseAddress), topic);

        // act: an OrderPlaced whose data does not fit the contract, written the way orders writes events, so the relay publishes it.
        await fixture.ScalarAsync("Orders", $"""
            INSERT INTO outbox_messages (event_id, topic, key, type, schema_version, subject, occurred_at, data, attempts)
            VALUES (gen_random_uuid(), '{topic}', 'poison', 'OrderPlaced', 1, 'poison', now(), '{"{"}"orderId": "poison", "lines": 5{"}"}', 0)
            RETURNING 1
            """);
        var after = before;
        await CheckoutStackFixture.WaitForAsync(
            async () => (after = DeadLettered(await ScrapeAsync(fixture.Subgraph("Inventory").BaseAddress), topic)) > before,
            "inventory's dead-letter counter to move");

        // assert
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task Platform_Should_ReportTheRunningSubgraphsAndNameTheUnreachableOnes_When_AnAdminAsksTheGateway()
    {
        // arrange: the fixture runs orders, inventory, payments and notifications; accounts, catalog and reviews listen nowhere.
        string[] running = ["inventory", "notifications", "orders", "payments"];

        // act
        var answer = await ServiceHealthAsync(fixture.Issuer.Token(subject: "51", scope: "shopper admin"));

        // assert
        var platform = answer["data"]!["platform"]!.AsObject();
        Assert.Equal(["accounts", "catalog", "reviews"], answer["errors"]!.AsArray().Select(e => e!["extensions"]!["serviceName"]!.GetValue<string>()).Order());
        Assert.All(answer["errors"]!.AsArray(), e => Assert.Equal("DOWNSTREAM_SERVICE_ERROR", e!["extensions"]!["code"]!.GetValue<string>()));
        Assert.Equal(["accounts", "catalog", "reviews"], platform.Where(p => p.Value is null).Select(p => p.Key).Order());
        Assert.All(running, name =>
        {
            var health = platform[name]!;
            Assert.Equal(name, health["service"]!.GetValue<string>());
            Assert.Contains(health["status"]!.GetValue<string>(), new[] { "HEALTHY", "DEGRADED" });
            Assert.Equal(["database:" + char.ToUpperInvariant(name[0]) + name[1..], "messaging", "process"], health["checks"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            var messaging = health["messaging"]!;
            Assert.True(messaging["brokerConfigured"]!.GetValue<bool>());
            Assert.StartsWith($"{name}-", messaging["consumerGroup"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(messaging["outbox"]!["pending"]!.GetValue<int>() >= 0);
        });
    }

    [Theory]
    [InlineData("shopper")]
    [InlineData("anonymous")]
    public async Task Platform_Should_BeRefusedWithoutAskingAnySubgraph_When_ANonAdminAsks(string caller)
    {
        // act
        var answer = await ServiceHealthAsync(caller == "shopper" ? fixture.Issuer.Token(subject: "7") : null);

        // assert
        Assert.Null(answer["data"]);
        Assert.Equal("UNAUTHORIZED_FIELD_OR_TYPE", Assert.Single(answer["errors"]!.AsArray())!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeadLetterAlert_Should_FireAndPlatformShowTheDeadLetter_When_AHandlerFailsEveryAttempt()
    {
        // arrange: payments' real handler fails for one order on every attempt (a trigger refuses its payment row),
        // and Prometheus scrapes payments with the committed rules.
        const int order = 900_001;
        const string topic = "inventory.stock.v1";
        await fixture.ScalarAsync("Payments", $$"""
            CREATE FUNCTION refuse_forced_order() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.order_id = {{order}} THEN RAISE EXCEPTION 'payments refuses order % (forced by the test)', NEW.order_id; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_forced_order BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION refuse_forced_order();
            SELECT 1;
            """);
        var payments = fixture.Subgraph("Payments").BaseAddress;
        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, string> { ["payments"] = payments.Authority });
        await CheckoutStackFixture.WaitForAsync(async () => (await prometheus.QueryAsync("up{job=\"payments\"} == 1")).Count == 1, "Prometheus to scrape payments");
        var scraped = DateTimeOffset.UtcNow;
        await CheckoutStackFixture.WaitForAsync(() => MessagingAlertsEvaluatedAfterAsync(prometheus, scraped), "the alert rules to be evaluated over the scraped series");
        var before = await prometheus.AlertsAsync();

        // act: a valid StockReserved for that order, written the way inventory writes events, so the relay publishes it.
        await fixture.ScalarAsync("Inventory", $$"""
            INSERT INTO outbox_messages (event_id, topic, key, type, schema_version, subject, occurred_at, data, attempts)
            VALUES (gen_random_uuid(), '{{topic}}', '{{order}}', 'StockReserved', 1, '{{order}}', now(),
                    '{"orderId": {{order}}, "userId": 7, "total": 10.0, "lines": [{"productId": 1, "quantity": 1}]}', 0)
            RETURNING 1
            """);
        JsonNode? alert = null;
        await CheckoutStackFixture.WaitForAsync(
            async () => (alert = (await prometheus.AlertsAsync()).FirstOrDefault(a => a!["labels"]!["alertname"]!.GetValue<string>() == "DeadLetterArrivals" && a["state"]!.GetValue<string>() == "firing")) is not null,
            "the DeadLetterArrivals alert to fire");
        var answer = await ServiceHealthAsync(fixture.Issuer.Token(subject: "51", scope: "shopper admin"));

        // assert
        Assert.DoesNotContain(before, a => a!["labels"]!["alertname"]!.GetValue<string>() == "DeadLetterArrivals");
        Assert.Equal(("payments", topic, "critical"), (alert!["labels"]!["job"]!.GetValue<string>(), alert["labels"]!["messaging_destination_name"]!.GetValue<string>(), alert["labels"]!["severity"]!.GetValue<string>()));
        Assert.Equal("1", alert["value"]!.GetValue<string>().Split('e')[0].TrimEnd('0').TrimEnd('.'));
        var messaging = answer["data"]!["platform"]!["payments"]!["messaging"]!;
        var deadLetters = Assert.Single(messaging["deadLetters"]!.AsArray())!;
        Assert.Equal((topic, $"{topic}.dlq.payments", 1), (deadLetters["topic"]!.GetValue<string>(), deadLetters["deadLetterTopic"]!.GetValue<string>(), deadLetters["count"]!.GetValue<int>()));
        Assert.Contains($"payments refuses order {order}", deadLetters["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(messaging["handlerFailures"]!.GetValue<int>() >= 5, "five failed attempts before the dead-letter topic");
    }

    [Fact]
    public async Task PersistedDocumentLookup_Should_PutARedisSpanInTheRequestsTrace_When_TheHashIsNotInMemory()
    {
        // arrange: a hash no gateway has seen (so the lookup goes past memory to Redis) in a trace the test starts.
        var query = $"query Unseen{Guid.NewGuid():N} {{ __typename }}";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(query)));
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        var body = new JsonObject { ["extensions"] = new JsonObject { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = hash } } };
        using var request = new HttpRequestMessage(HttpMethod.Post, string.Empty) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");

        // act
        using var response = await fixture.Gateway.Http.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        // The stage's span may be exported in a later batch than the Redis span it parents: wait for both.
        var trace = await fixture.Receiver.WaitForSpansAsync(
            spans => spans.Any(r => r.TraceId == traceId && IsRedis(r) && spans.Any(s => s.SpanId == r.ParentSpanId)),
            "the gateway's Redis span and its parent");
        trace = [.. trace.Where(s => s.TraceId == traceId)];

        // assert
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", answer["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        var redis = Assert.Single(trace, IsRedis);
        Assert.Equal(("gateway", SpanKind.Client, "GET"), (redis.Service, redis.Kind, redis.Name));
        var stage = Assert.Single(trace, s => s.SpanId == redis.ParentSpanId);
        Assert.Equal("graphql.persisted_document", stage.Name);
    }

    private const string ServiceHealth = """
        query ServiceHealth {
          platform {
            accounts { ...Health } catalog { ...Health } inventory { ...Health } orders { ...Health }
            payments { ...Health } reviews { ...Health } notifications { ...Health }
          }
        }
        fragment Health on ServiceHealth {
          service status checks { name status }
          messaging {
            brokerConfigured consumerGroup totalLag handlerFailures
            outbox { pending oldestAgeSeconds }
            consumerLag { topic partition lag }
            deadLetters { topic deadLetterTopic count lastAt lastError }
          }
        }
        """;

    private async Task<JsonNode> ServiceHealthAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, string.Empty)
        {
            Content = new StringContent(new JsonObject { ["query"] = ServiceHealth }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await fixture.Gateway.Http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Whether the messaging alert group has been evaluated since <paramref name="since"/>.</summary>
    private static async Task<bool> MessagingAlertsEvaluatedAfterAsync(PrometheusServer prometheus, DateTimeOffset since)
    {
        using var response = await prometheus.Http.GetAsync("api/v1/rules?type=alert");
        var groups = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["groups"]!.AsArray();
        return groups.Any(g => g!["name"]!.GetValue<string>() == "federation-messaging-alerts"
            && DateTimeOffset.Parse(g["lastEvaluation"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > since);
    }

    private static bool IsRedis(ReceivedSpan span) =>
        span.Attributes.GetValueOrDefault("db.system") == "redis" || span.Attributes.GetValueOrDefault("db.system.name") == "redis";

    private static double DeadLettered(IReadOnlyList<PrometheusText.Sample> samples, string topic) =>
        samples.Where(s => s.Name == "federation_messaging_dead_lettered_total" && s.Labels.GetValueOrDefault("messaging_destination_name") == topic).Sum(s => s.Value);

    private static bool Placed(IReadOnlyList<ReceivedSpan> spans, string traceId, string order) =>
        spans.Any(s => s.TraceId == traceId && s.Kind == SpanKind.Producer && s.Attributes.GetValueOrDefault("messaging.kafka.message.key") == order);

    private static bool IsAncestor(Dictionary<string, ReceivedSpan> byId, ReceivedSpan ancestor, ReceivedSpan span)
    {
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<string> PlaceOrderAsync(int user, long product)
    {
        var body = new JsonObject
        {
            ["query"] = PlaceOrder,
            ["operationName"] = "PlaceOrder",
            ["variables"] = new JsonObject
            {
                ["input"] = new JsonObject
                {
                    ["lines"] = new JsonArray(new JsonObject { ["productId"] = product.ToString(System.Globalization.CultureInfo.InvariantCulture), ["quantity"] = 1 }),
                    ["shippingAddress"] = new JsonObject { ["name"] = "Trace Tester", ["line1"] = "1 SW Main St", ["city"] = "Portland", ["region"] = "OR", ["postalCode"] = "97204", ["country"] = "US" },
                    ["shippingMethod"] = "STANDARD",
                    ["payment"] = new JsonObject { ["cardNumber"] = "4242 4242 4242 4242" },
                },
                ["key"] = Guid.NewGuid().ToString(),
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, string.Empty) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Issuer.Token(subject: user.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var response = await fixture.Gateway.Http.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(answer["data"]?["placeOrder"]?["order"]?["id"] is not null, answer.ToJsonString());
        return answer["data"]!["placeOrder"]!["order"]!["id"]!.GetValue<string>();
    }

    private static async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeAsync(Uri process)
    {
        using var client = new HttpClient { BaseAddress = process };
        using var response = await client.GetAsync("metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }
}
