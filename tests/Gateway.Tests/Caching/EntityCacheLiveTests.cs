using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing.Processes;
using Federation.Testing.Servers;
using Xunit.Abstractions;

namespace Federation.Gateway.Tests.Caching;

/// <summary>
/// The entity cache through the gateway process in front of the seven real subgraphs, a real Redis and the subgraphs'
/// Kafka: answers from the cache equal the subgraphs' own, writes are visible within a measured bound once their events
/// invalidate, private entries stay with their caller, Redis going away fails no request, and only admins clear it.
/// </summary>
[Collection(LiveGatewayCollection.Name)]
public sealed partial class EntityCacheLiveTests(LiveGatewayFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string ProductPage = """
        query ProductPage($id: ID!) {
          product(id: $id) {
            id name price
            stock { available onHand reserved }
            reviews(first: 5) { totalCount nodes { id rating body user { id name } } }
          }
        }
        """;

    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task ProductPage_Should_AnswerLikeTheSubgraphs_When_ServedFromTheCacheWithTheSubgraphsFrozen()
    {
        // arrange
        await using var plain = await fixture.StartGatewayAsync(_redis, cache: false);
        await using var cached = await fixture.StartGatewayAsync(_redis, cache: true, "--Traffic:SubgraphTimeout", "5");
        var ids = await ReviewedProductsAsync(cached, 3);
        var expected = new List<string>();
        var misses = new List<string>();
        var hits = new List<string>();
        foreach (var id in ids)
        {
            expected.Add(await PageAsync(plain, id));
            misses.Add(await PageAsync(cached, id));
            hits.Add(await PageAsync(cached, id));
        }

        // act
        var frozen = new List<string>();
        var inventory = fixture.Subgraphs.Subgraphs["inventory"].Process.Id;
        var reviews = fixture.Subgraphs.Subgraphs["reviews"].Process.Id;
        Signals.Stop(inventory);
        Signals.Stop(reviews);
        try
        {
            foreach (var id in ids)
            {
                frozen.Add(await PageAsync(cached, id));
            }
        }
        finally
        {
            Signals.Continue(inventory);
            Signals.Continue(reviews);
        }

        // assert
        Assert.Equal(expected, misses);
        Assert.Equal(expected, hits);
        Assert.Equal(expected, frozen);
        Assert.All(expected, page => Assert.DoesNotContain("\"errors\"", page, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProductPage_Should_BeServedWithEverySubgraphFrozen_When_TheSubgraphsDeclareItCacheable()
    {
        // arrange: the shipped settings declare nothing of catalog or accounts; their subgraphs' Cache-Control alone decides.
        await using var plain = await fixture.StartGatewayAsync(_redis, cache: false);
        await using var cached = await fixture.StartGatewayAsync(_redis, cache: true, "--Traffic:SubgraphTimeout", "5");
        var id = (await ReviewedProductsAsync(cached, 1))[0];
        var expected = await PageAsync(plain, id);
        var miss = await PageAsync(cached, id);
        var pids = new[] { "catalog", "inventory", "reviews", "accounts" }.Select(name => fixture.Subgraphs.Subgraphs[name].Process.Id).ToList();

        // act
        pids.ForEach(Signals.Stop);
        string frozen;
        try
        {
            frozen = await PageAsync(cached, id);
        }
        finally
        {
            pids.ForEach(Signals.Continue);
        }

        // assert
        Assert.Equal(expected, miss);
        Assert.Equal(expected, frozen);
        Assert.DoesNotContain("\"errors\"", frozen, StringComparison.Ordinal);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        async Task<List<TimeSpan>> TtlsAsync(string subgraphAndType) =>
            [.. await Task.WhenAll((await EntriesAsync(subgraphAndType)).Select(async key => (await redis.GetDatabase().KeyTimeToLiveAsync(key)) ?? TimeSpan.MaxValue))];
        Assert.All(await TtlsAsync("catalog:Query"), ttl => Assert.InRange(ttl, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(300)));
        Assert.All(await TtlsAsync("inventory:Product"), ttl => Assert.InRange(ttl, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        Assert.All(await TtlsAsync("accounts:User"), ttl => Assert.InRange(ttl, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        Assert.NotEmpty(await TtlsAsync("catalog:Query"));
        Assert.NotEmpty(await TtlsAsync("reviews:Product"));
    }

    [Fact]
    public async Task Corpus_Should_AnswerAsWithoutTheCache_When_EveryQueryRunsOnAMissAndAgainOnHits()
    {
        // arrange
        var operations = Path.Combine(AppContext.BaseDirectory, "operations");
        await using var plain = await fixture.StartGatewayAsync(_redis, cache: false);
        await using var cached = await fixture.StartGatewayAsync(
            _redis,
            cache: true,
            "--EntityCache:Subgraphs:catalog:Types:Product:MaxAge", "300",
            "--EntityCache:Subgraphs:catalog:Types:Category:MaxAge", "300",
            "--EntityCache:Subgraphs:reviews:Types:User:MaxAge", "300",
            "--EntityCache:Subgraphs:reviews:Types:Review:MaxAge", "300",
            "--EntityCache:Subgraphs:accounts:Types:User:MaxAge", "300",
            "--EntityCache:Subgraphs:accounts:Types:User:Scope", "private");
        var admin = fixture.Tokens.Token(subject: "1", scope: "shopper admin");
        var mismatches = new List<string>();
        var ran = 0;

        // act
        foreach (var file in Directory.GetFiles(operations, "*.graphql").Order(StringComparer.Ordinal))
        {
            var query = await File.ReadAllTextAsync(file);
            if (query.TrimStart().StartsWith("mutation", StringComparison.Ordinal))
            {
                continue;
            }

            var variablesFile = Path.ChangeExtension(file, ".json");
            var variables = File.Exists(variablesFile) ? JsonNode.Parse(await File.ReadAllTextAsync(variablesFile)) : null;
            ran++;

            // A subgraph error in any of the three answers (a timeout on the loaded test machine) says nothing about the
            // cache: that query is asked once more, and only an error-free disagreement, or errors twice, count.
            for (var attempt = 1; ; attempt++)
            {
                var expected = (await plain.PostAsync(query, variables, admin)).Body.ToJsonString();
                var miss = (await cached.PostAsync(query, variables, admin)).Body.ToJsonString();
                var hit = (await cached.PostAsync(query, variables, admin)).Body.ToJsonString();
                if (miss == expected && hit == expected)
                {
                    break;
                }

                var report = $"{Path.GetFileName(file)} (attempt {attempt}):\n  off  {expected}\n  miss {miss}\n  hit  {hit}";
                output.WriteLine(report);
                if (attempt == 2 || !new[] { expected, miss, hit }.Any(a => a.Contains("\"errors\"", StringComparison.Ordinal)))
                {
                    mismatches.Add(report);
                    break;
                }
            }
        }

        // Idle now: two scrapes beyond the endpoint's scrape cache apart agree once every lookup is counted.
        var lookups = await LookupsAsync(cached, null, _ => false, TimeSpan.Zero);
        for (var previous = (Hits: -1L, Misses: -1L); lookups != previous;)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            previous = lookups;
            lookups = await LookupsAsync(cached, null, _ => false, TimeSpan.Zero);
        }

        // assert
        output.WriteLine($"{ran} corpus queries, each answered by the cache-off gateway, then on a miss and on hits: {lookups.Hits} entity cache hits, {lookups.Misses} misses");
        Assert.True(ran >= 60, $"{ran} queries");
        Assert.True(lookups.Hits > 0, "no entity fetch was answered from the cache");
        Assert.Empty(mismatches);
    }

    [Fact]
    public async Task Writes_Should_BeVisibleThroughTheCache_When_TheirEventsInvalidateTheEntries()
    {
        // arrange
        await using var gateway = await fixture.StartGatewayAsync(
            _redis, cache: true, "--EntityCache:Subgraphs:catalog:Types:Product:MaxAge", "300");
        var admin = fixture.Tokens.Token(subject: "1", scope: "admin");
        var product = (await ReviewedProductsAsync(gateway, 1))[0];
        var review = (await PageNodeAsync(gateway, product))["reviews"]!["nodes"]![0]!["id"]!.GetValue<string>();
        var purchases = await UnreviewedPurchasesAsync(gateway, admin, 8);
        var latencies = new Dictionary<string, List<double>>(StringComparer.Ordinal) { ["adjustStock"] = [], ["updateProduct"] = [], ["addReview"] = [] };

        // act
        for (var i = 0; i < 20; i++)
        {
            var before = (await PageNodeAsync(gateway, product))["stock"]!["available"]!.GetValue<int>();
            await PageNodeAsync(gateway, product);
            var changed = await gateway.PostAsync(
                "mutation ($id: ID!) { adjustStock(productId: $id, delta: 1) { errors { code } } }", new { id = product }, admin);
            Assert.Empty(changed.Body["data"]!["adjustStock"]!["errors"]!.AsArray());
            latencies["adjustStock"].Add(await UntilAsync(async () => (await PageNodeAsync(gateway, product))["stock"]!["available"]!.GetValue<int>() == before + 1));
        }

        const string ReviewProduct = "query ($id: ID!) { review(id: $id) { id product { id price } } }";
        for (var i = 0; i < 10; i++)
        {
            var price = 100 + i + 0.25;
            await gateway.PostAsync(ReviewProduct, new { id = review }, null);
            var updated = await gateway.PostAsync(
                "mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { errors { code } } }", new { input = new { id = product, price } }, admin);
            Assert.Empty(updated.Body["data"]!["updateProduct"]!["errors"]!.AsArray());
            latencies["updateProduct"].Add(await UntilAsync(async () =>
                (await gateway.PostAsync(ReviewProduct, new { id = review }, null)).Body["data"]!["review"]!["product"]!["price"]!.GetValue<double>() == price));
        }

        foreach (var (user, reviewed) in purchases)
        {
            var before = (await PageNodeAsync(gateway, reviewed))["reviews"]!["totalCount"]!.GetValue<int>();
            await PageNodeAsync(gateway, reviewed);
            var added = await gateway.PostAsync(
                "mutation ($input: AddReviewInput!) { addReview(input: $input) { errors { code message } } }",
                new { input = new { productId = reviewed, rating = 4, body = "Measured by the entity cache tests." } },
                fixture.Tokens.Token(subject: user, scope: "shopper"));
            if (added.Body["data"]?["addReview"]?["errors"] is not JsonArray { Count: 0 })
            {
                output.WriteLine($"addReview by user {user} of product {reviewed} refused: {added.Body.ToJsonString()}");
                continue;
            }

            latencies["addReview"].Add(await UntilAsync(async () => (await PageNodeAsync(gateway, reviewed))["reviews"]!["totalCount"]!.GetValue<int>() == before + 1));
        }

        // assert
        var all = latencies.Values.SelectMany(l => l).ToList();
        foreach (var (write, measured) in latencies.Append(new("all", all)))
        {
            output.WriteLine($"{write}: {measured.Count} writes, mutation answered -> first fresh answer through the cache: p50 {Percentile(measured, 50):0} ms, p99 {Percentile(measured, 99):0} ms, max {(measured.Count > 0 ? measured.Max() : 0):0} ms");
        }

        output.WriteLine(await InvalidationLagAsync(gateway));
        Assert.Equal(20, latencies["adjustStock"].Count);
        Assert.Equal(10, latencies["updateProduct"].Count);
        Assert.NotEmpty(latencies["addReview"]);

        // The loaded two-core test machine, not the goal (p99 < 1 s, printed above): a stale entry would never turn fresh.
        Assert.True(Percentile(all, 99) < 5000, $"p99 {Percentile(all, 99):0} ms");
    }

    [Fact]
    public async Task PrivateEntity_Should_NeverBeServedToAnotherCaller_When_TheTypeIsDeclaredPrivate()
    {
        // arrange
        await using var gateway = await fixture.StartGatewayAsync(
            _redis,
            cache: true,
            "--EntityCache:Subgraphs:accounts:Types:User:MaxAge", "300",
            "--EntityCache:Subgraphs:accounts:Types:User:Scope", "private");
        var product = (await ReviewedProductsAsync(gateway, 1))[0];
        var review = (await PageNodeAsync(gateway, product))["reviews"]!["nodes"]![0]!;
        var author = review["user"]!["id"]!.GetValue<string>();
        var other = author == "2" ? "3" : "2";
        const string Email = "query ($id: ID!) { review(id: $id) { id user { id email } } }";
        var variables = new { id = review["id"]!.GetValue<string>() };
        var own = await gateway.PostAsync(Email, variables, fixture.Tokens.Token(subject: author));
        var ownAgain = await gateway.PostAsync(Email, variables, fixture.Tokens.Token(subject: author));
        var stored = await EntriesAsync("accounts:User");

        // act
        var stranger = await gateway.PostAsync(Email, variables, fixture.Tokens.Token(subject: other));
        var anonymous = await gateway.PostAsync(Email, variables, null);

        // assert
        var email = own.Body["data"]!["review"]!["user"]!["email"]!.GetValue<string>();
        Assert.Contains('@', email);
        Assert.Equal(own.Body.ToJsonString(), ownAgain.Body.ToJsonString());
        Assert.NotEmpty(stored);
        foreach (var refused in new[] { stranger, anonymous })
        {
            Assert.DoesNotContain(email, refused.Body.ToJsonString(), StringComparison.Ordinal);
            Assert.True(refused.Body["errors"] is JsonArray { Count: > 0 }, refused.Body.ToJsonString());
        }
    }

    [Fact]
    public async Task Requests_Should_NeverFail_When_RedisStopsMidRun()
    {
        // arrange
        await using var gateway = await fixture.StartGatewayAsync(_redis, cache: true);
        var ids = await ReviewedProductsAsync(gateway, 3);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            expected[id] = await PageAsync(gateway, id);
        }

        using var stop = new CancellationTokenSource();
        var answered = 0;
        var failures = new List<string>();

        // act
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = w; !stop.IsCancellationRequested; i++)
            {
                var id = ids[i % ids.Count];
                var (status, body) = await gateway.PostAsync(ProductPage, new { id }, null);
                Interlocked.Increment(ref answered);
                if (status != 200 || body.ToJsonString() != expected[id])
                {
                    lock (failures)
                    {
                        failures.Add($"{status}: {body.ToJsonString()}");
                    }
                }
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var beforeStop = Volatile.Read(ref answered);
        await _redis.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        // assert
        output.WriteLine($"{answered} product pages, {beforeStop} before Redis stopped, {failures.Count} failed");
        Assert.Empty(failures);
        Assert.True(answered > beforeStop, "no request was answered after Redis stopped");
    }

    [Fact]
    public async Task ProductPage_Should_AnswerIdenticallyUnderLoad_When_TheCacheIsOnOrOff()
    {
        // arrange
        await using var plain = await fixture.StartGatewayAsync(_redis, cache: false);
        await using var cached = await fixture.StartGatewayAsync(_redis, cache: true);
        var ids = await ReviewedProductsAsync(cached, 3);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            expected[id] = await PageAsync(plain, id);
        }

        // act
        var off = await LoadAsync(plain, ids, expected);
        var on = await LoadAsync(cached, ids, expected);

        // assert
        output.WriteLine($"product page, 8 clients x 5 s, same run: cache off {off.Rps:0} RPS p99 {off.P99:0} ms; cache on {on.Rps:0} RPS p99 {on.P99:0} ms; on/off RPS {on.Rps / off.Rps:0.00}x, p99 {on.P99 / off.P99:0.00}x");
        Assert.Equal(0, off.Failures);
        Assert.Equal(0, on.Failures);
    }

    /// <summary>Eight clients sending product pages for 5 s (after 1 s of warm-up); answers are checked against <paramref name="expected"/>.</summary>
    private static async Task<(double Rps, double P99, int Failures)> LoadAsync(GatewayProcess gateway, List<string> ids, Dictionary<string, string> expected)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        async Task RunAsync(TimeSpan length, bool record)
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = w; clock.Elapsed < length; i++)
                {
                    var id = ids[i % ids.Count];
                    var started = Stopwatch.GetTimestamp();
                    var (status, body) = await gateway.PostAsync(ProductPage, new { id }, null);
                    if (record)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        if (status != 200 || body.ToJsonString() != expected[id])
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                }
            })));
        }

        await RunAsync(TimeSpan.FromSeconds(1), record: false);
        await RunAsync(TimeSpan.FromSeconds(5), record: true);
        return (latencies.Count / 5.0, Percentile([.. latencies], 99), failures);
    }

    [Fact]
    public async Task AdminClear_Should_MakeTheNextFetchAMiss_When_TheCallerHasTheAdminScope()
    {
        // arrange
        await using var gateway = await fixture.StartGatewayAsync(_redis, cache: true);
        var product = (await ReviewedProductsAsync(gateway, 1))[0];
        await PageAsync(gateway, product);
        var body = new { type = "Product", subgraph = "inventory", id = product };

        // act
        var anonymous = await ClearAsync(gateway, body, null);
        var shopper = await ClearAsync(gateway, body, fixture.Tokens.Token(subject: "2", scope: "shopper"));
        var unknownType = await ClearAsync(gateway, new { type = "Order" }, fixture.Tokens.Token(subject: "1", scope: "admin"));
        var warmed = await LookupsAsync(gateway, "inventory", l => l.Misses >= 1);
        await PageAsync(gateway, product);
        var whileCached = await LookupsAsync(gateway, "inventory", l => l.Hits == warmed.Hits + 1);
        var cleared = await ClearAsync(gateway, body, fixture.Tokens.Token(subject: "1", scope: "admin"));
        await PageAsync(gateway, product);
        var afterClear = await LookupsAsync(gateway, "inventory", l => l.Misses == whileCached.Misses + 1);

        // assert
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.Forbidden, shopper.Status);
        Assert.Equal(HttpStatusCode.BadRequest, unknownType.Status);
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.Equal($$"""{"invalidated":[{"subgraph":"inventory","type":"Product","id":"{{product}}"}]}""", cleared.Body);
        Assert.Equal(warmed.Misses, whileCached.Misses);
        Assert.Equal(whileCached.Hits, afterClear.Hits);
    }

    private static async Task<string> PageAsync(GatewayProcess gateway, string id)
    {
        var (status, body) = await gateway.PostAsync(ProductPage, new { id }, null);
        Assert.Equal(200, status);
        return body.ToJsonString();
    }

    private static async Task<JsonObject> PageNodeAsync(GatewayProcess gateway, string id) =>
        JsonNode.Parse(await PageAsync(gateway, id))!["data"]!["product"]!.AsObject();

    /// <summary>Products with at least one review, from the seed.</summary>
    private static async Task<List<string>> ReviewedProductsAsync(GatewayProcess gateway, int count)
    {
        var (_, body) = await gateway.PostAsync("{ products(first: 40) { nodes { id reviews(first: 1) { totalCount } } } }", null, null);
        Assert.True(body["data"]?["products"] is not null, body.ToJsonString());
        var ids = body["data"]!["products"]!["nodes"]!.AsArray()
            .Where(p => p!["reviews"]?["totalCount"]?.GetValue<int>() > 0)
            .Select(p => p!["id"]!.GetValue<string>())
            .Take(count)
            .ToList();
        Assert.Equal(count, ids.Count);
        return ids;
    }

    /// <summary>
    /// (user, product) pairs the user may review now: bought in a confirmed order (reviews only knows those purchases)
    /// and not reviewed yet, as reviews itself answers it (<c>viewerCanReview</c> with the user's token).
    /// </summary>
    private async Task<List<(string User, string Product)>> UnreviewedPurchasesAsync(GatewayProcess gateway, string admin, int count)
    {
        var (_, body) = await gateway.PostAsync(
            "{ users(first: 60) { nodes { id orders(first: 20) { nodes { status lines { product { id } } } } reviews(first: 50) { nodes { product { id } } } } } }", null, admin);
        Assert.True(body["data"]?["users"] is not null, body.ToJsonString());
        var candidates = new List<(string, string)>();
        foreach (var user in body["data"]!["users"]!["nodes"]!.AsArray())
        {
            var reviewed = user!["reviews"]?["nodes"]?.AsArray().Select(r => r!["product"]!["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            var bought = user["orders"]?["nodes"]?.AsArray()
                .Where(o => o!["status"]?.GetValue<string>() == "CONFIRMED")
                .SelectMany(o => o!["lines"]!.AsArray()).Select(l => l!["product"]!["id"]!.GetValue<string>()) ?? [];
            candidates.AddRange(bought.Distinct(StringComparer.Ordinal).Where(p => !reviewed.Contains(p)).Select(p => (user["id"]!.GetValue<string>(), p)));
        }

        var pairs = new List<(string User, string Product)>();
        foreach (var (user, product) in candidates.DistinctBy(p => p.Item2))
        {
            var (_, answer) = await gateway.PostAsync(
                "query ($id: ID!) { product(id: $id) { viewerCanReview } }", new { id = product }, fixture.Tokens.Token(subject: user, scope: "shopper"));
            if (answer["data"]?["product"]?["viewerCanReview"]?.GetValue<bool>() == true)
            {
                pairs.Add((user, product));
            }
            else
            {
                output.WriteLine($"user {user} may not review product {product}: {answer.ToJsonString()}");
            }

            if (pairs.Count == count)
            {
                break;
            }
        }

        Assert.NotEmpty(pairs);
        return pairs;
    }

    /// <summary>Milliseconds until <paramref name="fresh"/> holds, polled without pause; fails after 10 s.</summary>
    private static async Task<double> UntilAsync(Func<Task<bool>> fresh)
    {
        var clock = Stopwatch.StartNew();
        while (!await fresh())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the write was not visible through the cache within 10 s");
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private async Task<List<string>> EntriesAsync(string subgraphAndType)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        return [.. redis.GetServers()[0].Keys(pattern: $"federation:gateway:entity:v1:e:{subgraphAndType}:*").Select(k => k.ToString())];
    }

    private static async Task<(HttpStatusCode Status, string Body)> ClearAsync(GatewayProcess gateway, object body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "admin/entity-cache/invalidate"))
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await gateway.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The gateway's entity cache counters (one subgraph's, or all with null) once <paramref name="reached"/> holds: the
    /// Prometheus endpoint caches its scrape for a moment, so they are read until they show what the test did (or 10 s pass).
    /// </summary>
    private static async Task<(long Hits, long Misses)> LookupsAsync(
        GatewayProcess gateway, string? subgraph, Func<(long Hits, long Misses), bool> reached, TimeSpan? patience = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var text = await gateway.Http.GetStringAsync(new Uri(gateway.BaseAddress, "metrics"));
            var lookups = (Count(text, "hit"), Count(text, "miss"));
            if (reached(lookups) || clock.Elapsed >= (patience ?? TimeSpan.FromSeconds(10)))
            {
                return lookups;
            }

            await Task.Delay(100);
        }

        long Count(string metrics, string result) => LookupLine().Matches(metrics)
            .Where(m => m.Value.Contains($"result=\"{result}\"", StringComparison.Ordinal)
                && (subgraph is null || m.Value.Contains($"subgraph_name=\"{subgraph}\"", StringComparison.Ordinal)))
            .Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Where the time goes: the gateway's histogram of event <c>occurredAt</c> (written with the change) to invalidation
    /// in Redis, per event type, as bucket bounds; the rest of a write's delay is the client's next fresh read.
    /// </summary>
    private static async Task<string> InvalidationLagAsync(GatewayProcess gateway)
    {
        var text = await gateway.Http.GetStringAsync(new Uri(gateway.BaseAddress, "metrics"));
        var lines = LagBucketLine().Matches(text)
            .Select(m => (Event: m.Groups["event"].Value, Bound: m.Groups["le"].Value, Count: long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)))
            .GroupBy(b => b.Event)
            .Select(g =>
            {
                var total = g.Max(b => b.Count);
                string Bound(double share) => g.First(b => b.Count >= Math.Ceiling(share * total)).Bound;
                return $"{g.Key} {total} events, p50 <= {Bound(0.5)} s, p99 <= {Bound(0.99)} s";
            });
        return $"event occurredAt -> invalidated in Redis (histogram bounds): {string.Join("; ", lines)}";
    }

    [GeneratedRegex("""^federation_gateway_entity_cache_invalidation_lag_seconds_bucket\{[^}]*event_type="(?<event>[^"]+)"[^}]*le="(?<le>[^"]+)"[^}]*\} (?<count>\d+)""", RegexOptions.Multiline)]
    private static partial Regex LagBucketLine();

    [GeneratedRegex("""^federation_gateway_entity_cache_lookups_total\{[^}]*\} (\d+)""", RegexOptions.Multiline)]
    private static partial Regex LookupLine();
}
