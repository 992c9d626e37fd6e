using System.Text.Json.Nodes;
using Federation.Gateway.Authorization;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing.Security;

namespace Federation.Gateway.Tests.Corpus;

/// <summary>
/// The stack <see cref="CorpusTests"/>, <see cref="Fuzzing.DifferentialFuzzTests"/> and
/// <see cref="Security.SubgraphAuthenticationTests"/> share (one class after the other): none changes data. The
/// corpus's mutations are refused (invalid input, unknown ids, an empty order, a wrong password), the fuzzer sends
/// queries only and the authentication tests are refused or read one row, so the gateways are compared on the same
/// seeded state, and the suite starts one such stack instead of three.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CorpusCollection : ICollectionFixture<CorpusFixture>
{
    public const string Name = "corpus stack";
}

/// <summary>
/// Our seven subgraphs as processes (<see cref="LiveSubgraphs"/>) with two gateways on the committed
/// <c>schema/supergraph.graphql</c>: ours in process and Apollo Gateway.
/// </summary>
public sealed class CorpusFixture : IAsyncLifetime
{
    // Nothing here waits on an event after the seeded backlog, which fetches return as soon as it is there: fetches that
    // wait 500 ms (the mock answers an empty fetch only when the wait is over) instead of 100 ms make the stack's consumers
    // poll the Kafka mock a fifth as often through the classes' minutes (idle stack ~30% -> ~21% of a core).
    private readonly LiveSubgraphs _live = new()
    {
        Settings = new Dictionary<string, string?> { ["Messaging__Consumer__FetchWaitMaxMs"] = "500" },
    };

    public GatewayEngine Engine { get; private set; } = null!;

    /// <summary>The subgraph processes, for tests that ask them directly (bypassing every gateway).</summary>
    public LiveSubgraphs Subgraphs => _live;

    public ApolloGatewayProcess Apollo { get; private set; } = null!;

    /// <summary>
    /// Hive Gateway on the same subgraphs, for the cases where Apollo Gateway is known to be wrong; started on first
    /// use and shared by the class's tests (xunit makes an instance of the class per test, and each start is seconds).
    /// </summary>
    internal Fuzzing.SecondOracle Hive { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _live.InitializeAsync();
        var urls = _live.Urls;

        var supergraph = RepositorySupergraph();
        var options = new GatewayOptions { InternalTokens = TestInternalTokens.Issuer };
        foreach (var (name, url) in urls)
        {
            options.SubgraphUrls[name] = url;
        }

        var supergraphSdl = await File.ReadAllTextAsync(supergraph);
        Engine = new GatewayEngine(supergraphSdl, options);
        Hive = new Fuzzing.SecondOracle(supergraphSdl, options.SubgraphUrls);
        var apolloStart = ApolloGatewayProcess.StartAsync(supergraph, urls, NodeGatewayTokens(urls.Keys));
        try
        {
            await WaitForRatingsAsync();
        }
        finally
        {
            // Assigned even when the wait fails, so DisposeAsync stops the Node process: unassigned, it outlived a
            // run whose wait timed out on a loaded machine.
            await Task.WhenAny(apolloStart);
            if (apolloStart.IsCompletedSuccessfully)
            {
                Apollo = apolloStart.Result;
            }
        }

        Apollo = await apolloStart;
    }

    /// <summary>
    /// Catalog learns the seeded reviews from reviews' events (2,000 of them through Kafka), so right after start its
    /// <c>Product.reviewCount</c> and <c>rating</c> still move. Comparisons need a state that holds still: wait until,
    /// for every product, catalog's count equals the number of reviews the reviews subgraph holds. A loaded CI machine
    /// (seen: run queue 30-98 on 2 cores) makes the catch-up slow but not stuck, so the wait fails when catalog stops
    /// gaining for 2 minutes (or after 10 in all), not at a fixed time.
    /// </summary>
    private async Task WaitForRatingsAsync()
    {
        const string query = "query ($after: String) { products(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id reviewCount reviews { totalCount } } } }";
        var started = DateTime.UtcNow;
        var stalledSince = started;
        var best = long.MaxValue;
        var behind = (Missing: -1L, First: "no answer yet");
        while (DateTime.UtcNow - stalledSince < TimeSpan.FromMinutes(2) && DateTime.UtcNow - started < TimeSpan.FromMinutes(10))
        {
            behind = await RatingsBehindAsync(query);
            if (behind.Missing == 0)
            {
                return;
            }

            if (behind.Missing >= 0 && behind.Missing < best)
            {
                best = behind.Missing;
                stalledSince = DateTime.UtcNow;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException(
            $"Catalog's review counts did not converge with reviews' ({behind.Missing} reviews not counted after {(DateTime.UtcNow - started).TotalSeconds:0} s, none gained in the last 2 minutes or 10 minutes in all): {behind.First}");
    }

    /// <summary>
    /// How many reviews catalog has not counted yet over all products (0 when every count agrees; -1 when the gateway
    /// answered with errors), and the first product found behind.
    /// </summary>
    private async Task<(long Missing, string First)> RatingsBehindAsync(string query)
    {
        string? after = null;
        var missing = 0L;
        var first = "";
        do
        {
            var body = await OursAsync(query, new JsonObject { ["after"] = after });
            if (body["errors"] is { } errors)
            {
                return (-1, errors.ToJsonString());
            }

            var products = body["data"]!["products"]!;
            foreach (var node in products["nodes"]!.AsArray())
            {
                var catalog = node!["reviewCount"]!.GetValue<int>();
                var reviews = node["reviews"]!["totalCount"]!.GetValue<int>();
                if (catalog != reviews)
                {
                    missing += Math.Abs(reviews - catalog);
                    if (first.Length == 0)
                    {
                        first = $"product {node["id"]} has reviewCount {catalog} in catalog and {reviews} reviews";
                    }
                }
            }

            after = products["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? products["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        }
        while (after is not null);
        return (missing, first);
    }

    /// <summary>
    /// Authorized for every field of the supergraph: Apollo Gateway cannot enforce @authenticated/@requiresScopes
    /// (tools/apollo-gateway strips them), so both gateways are compared on the same authorized request.
    /// </summary>
    public static readonly CallerIdentity Operator = CallerIdentity.Create("1", ["shopper", "admin"]);

    /// <summary>
    /// Static Authorization headers per subgraph for the Node gateways, which cannot sign per request: tokens for
    /// <see cref="Operator"/> that outlive any test run (the subgraphs trust the run's test key only), so the
    /// subgraphs see the same caller from every gateway.
    /// </summary>
    public static Dictionary<string, string> NodeGatewayTokens(IEnumerable<string> subgraphs) =>
        subgraphs.ToDictionary(
            name => name,
            name => "Bearer " + TestInternalTokens.MintLongLived(name, TimeSpan.FromHours(6), Operator.Subject, [.. Operator.Scopes]),
            StringComparer.Ordinal);

    public async Task<JsonObject> OursAsync(string query, JsonObject? variables) =>
        (await Engine.ExecuteAsync(new GatewayRequest(query, null, variables, Caller: Operator))).Body;

    public async Task<JsonObject> AnonymousAsync(string query, JsonObject? variables) =>
        (await Engine.ExecuteAsync(new GatewayRequest(query, null, variables))).Body;

    public Task<JsonObject> ApolloAsync(string query, JsonObject? variables) => Apollo.Http.PostGraphQLAsync(query, variables);

    public async Task DisposeAsync()
    {
        if (Hive is not null)
        {
            await Hive.DisposeAsync();
        }

        if (Apollo is not null)
        {
            await Apollo.DisposeAsync();
        }

        Engine?.Dispose();
        await _live.DisposeAsync();
    }

    private static string RepositorySupergraph()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "schema", "supergraph.graphql");
            if (File.Exists(file))
            {
                return file;
            }
        }

        throw new InvalidOperationException("schema/supergraph.graphql not found above the test output directory.");
    }
}
