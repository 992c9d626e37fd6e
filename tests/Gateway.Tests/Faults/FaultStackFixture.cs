using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Testing;
using Federation.Testing.Processes;
using Federation.Testing.Subgraphs;

namespace Federation.Gateway.Tests.Faults;

/// <summary>
/// The eight subgraphs as processes (<see cref="LiveSubgraphs"/>, demo accounts on) behind one gateway process with
/// short limits, so a fault costs seconds: <see cref="SubgraphTimeout"/> per fetch, circuits that open for
/// <see cref="BreakDuration"/>. Callers sign in through the gateway as the demo shopper, as the web app does.
/// </summary>
public sealed class FaultStackFixture : IAsyncLifetime
{
    public static readonly TimeSpan SubgraphTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(3);

    private readonly LiveSubgraphs _live = new() { AccountsSettings = new Dictionary<string, string?> { ["Accounts__DemoAccounts"] = "true" } };
    private readonly List<FaultFigures> _figures = [];
    private string _accessToken = string.Empty;
    private DateTime _signedInAt;
    private string _userId = string.Empty;
    private string _productId = string.Empty;
    private string _checkoutProductId = string.Empty;
    private string _orderId = string.Empty;

    public GatewayProcess Gateway { get; private set; } = null!;

    public IReadOnlyDictionary<string, SubgraphProcess> Subgraphs => _live.Subgraphs;

    public async Task InitializeAsync()
    {
        await _live.InitializeAsync();
        Gateway = await StartGatewayAsync(_live.Urls);
        await SignInAsync();
        await ChooseDataAsync();
    }

    /// <summary>
    /// A second gateway with the same settings over the same subgraphs, except <paramref name="subgraph"/>, whose URL is a
    /// port nothing listens on: down as after a crash, refusing connections, while the suite's own gateway is untouched.
    /// </summary>
    public Task<GatewayProcess> StartGatewayWithoutAsync(string subgraph)
    {
        var urls = new Dictionary<string, string>(_live.Urls, StringComparer.Ordinal)
        {
            [subgraph] = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/graphql",
        };
        return StartGatewayAsync(urls);
    }

    /// <inheritdoc cref="LiveSubgraphs.StartReplicaAsync"/>
    public Task<SubgraphProcess> StartReplicaAsync(string subgraph) => _live.StartReplicaAsync(subgraph);

    /// <summary>A second gateway with the same settings over the same subgraphs, except that <paramref name="subgraph"/> has the replicas at <paramref name="urls"/>.</summary>
    public Task<GatewayProcess> StartGatewayWithReplicasAsync(string subgraph, IReadOnlyList<string> urls)
    {
        var others = _live.Urls.Where(u => u.Key != subgraph).ToDictionary(StringComparer.Ordinal);
        return StartGatewayAsync(others, urls.SelectMany((url, i) => new[] { $"--Subgraphs:{subgraph}:Urls:{i.ToString(CultureInfo.InvariantCulture)}", url }));
    }

    private Task<GatewayProcess> StartGatewayAsync(IReadOnlyDictionary<string, string> urls, IEnumerable<string>? settings = null) =>
        GatewayProcess.StartAsync(urls,
        [
            .. settings ?? [],
            "--Traffic:SubgraphTimeout", SubgraphTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--CircuitBreaker:BreakDuration", BreakDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--Authentication:MetadataAddress", new Uri(_live.Subgraphs["accounts"].BaseAddress, ".well-known/openid-configuration").ToString(),
            "--Authentication:RequireHttpsMetadata", "false",
        ]);

    /// <summary>Signs in again when the 15-minute access token is more than half spent; call while accounts is up.</summary>
    public async Task EnsureSignedInAsync()
    {
        if (DateTime.UtcNow - _signedInAt > TimeSpan.FromMinutes(7))
        {
            await SignInAsync();
        }
    }

    /// <summary>
    /// Straight at accounts, which answers with the internal token the gateway would send: hashing the password can take
    /// longer than the test gateway's short timeout on two busy cores, and signing in is not what this suite measures.
    /// </summary>
    private async Task SignInAsync()
    {
        var body = await _live.Subgraphs["accounts"].QueryAsync(
            "mutation($input: LoginInput!) { login(input: $input) { accessToken user { id } errors { code message } } }",
            new { input = new { email = "user1@example.com", password = "Shopper123!" } });
        var login = body["data"]?["login"];
        _accessToken = login?["accessToken"]?.GetValue<string>() ?? throw new InvalidOperationException($"The demo shopper could not sign in: {body.ToJsonString()}");
        _userId = login["user"]!["id"]!.GetValue<string>();
        _signedInAt = DateTime.UtcNow;
    }

    /// <summary>
    /// Seeded data every part of every operation has: the product page shows the product with the most reviews, the
    /// order page one of the shopper's paid orders, checkout buys the product with the most stock.
    /// </summary>
    private async Task ChooseDataAsync()
    {
        var products = await DataAsync("{ products(first: 50) { nodes { id reviewCount stock { available } } } }", null, signedIn: false);
        var nodes = products["products"]!["nodes"]!.AsArray();
        _productId = nodes.MaxBy(n => n!["reviewCount"]!.GetValue<int>())!["id"]!.GetValue<string>();
        _checkoutProductId = nodes.MaxBy(n => n!["stock"]?["available"]?.GetValue<int>() ?? 0)!["id"]!.GetValue<string>();
        var orders = await DataAsync(
            "query($id: ID!) { user(id: $id) { orders(first: 20) { nodes { id lines { product { id } } payment { id } } } } }",
            new JsonObject { ["id"] = _userId },
            signedIn: true);
        _orderId = orders["user"]?["orders"]?["nodes"]?.AsArray()
            .FirstOrDefault(o => o!["payment"] is not null && o["lines"]!.AsArray().Count > 0)?["id"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"The demo shopper has no paid order: {orders.ToJsonString()}");
    }

    /// <summary>The data of a query that must succeed; freshly started subgraphs may miss the short timeout at first.</summary>
    private async Task<JsonNode> DataAsync(string query, JsonObject? variables, bool signedIn)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var (_, body, _) = await SendAsync(query, variables, signedIn);
            if (body["errors"] is null && body["data"] is { } data)
            {
                return data;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The stack did not answer {query} within 60 s: {body.ToJsonString()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The variables the storefront would send for <paramref name="operation"/>; checkout gets a fresh idempotency key.</summary>
    public JsonObject VariablesFor(StorefrontOperation operation) => operation.Name switch
    {
        "Products" => new JsonObject { ["first"] = 20 },
        "Product" => new JsonObject { ["id"] = _productId, ["reviewsFirst"] = 5 },
        "MyOrders" or "UnreadNotifications" => new JsonObject { ["userId"] = _userId },
        "Order" => new JsonObject { ["id"] = _orderId },
        "PlaceOrder" => new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["lines"] = new JsonArray(new JsonObject { ["productId"] = _checkoutProductId, ["quantity"] = 1 }),
                ["shippingAddress"] = new JsonObject
                {
                    ["name"] = "Fault Tester", ["line1"] = "1 SW Main St", ["city"] = "Portland", ["region"] = "OR", ["postalCode"] = "97204", ["country"] = "US",
                },
                ["shippingMethod"] = "STANDARD",
                ["payment"] = new JsonObject { ["cardNumber"] = "4242 4242 4242 4242" },
            },
            ["idempotencyKey"] = Guid.NewGuid().ToString(),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Name, "No variables for this operation."),
    };

    /// <summary>Sends <paramref name="operation"/> as the storefront would, to the suite's gateway or to <paramref name="gateway"/>.</summary>
    public Task<(int Status, JsonObject Body, TimeSpan Elapsed)> SendAsync(StorefrontOperation operation, GatewayProcess? gateway = null) =>
        SendAsync(operation.Document, VariablesFor(operation), operation.SignedIn, gateway);

    private async Task<(int Status, JsonObject Body, TimeSpan Elapsed)> SendAsync(string query, JsonObject? variables, bool signedIn, GatewayProcess? gateway = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, string.Empty)
        {
            Content = new StringContent(new JsonObject { ["query"] = query, ["variables"] = variables?.DeepClone() }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (signedIn)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
        }

        var clock = Stopwatch.StartNew();
        using var response = await (gateway ?? Gateway).Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed;
        var body = JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object ({(int)response.StatusCode}): {text}");
        return ((int)response.StatusCode, body, elapsed);
    }

    /// <summary>Adds one case's figures to <c>test-output/faults/subgraph-faults.md</c>, rewritten after every case.</summary>
    public string Record(FaultFigures figures)
    {
        lock (_figures)
        {
            _figures.Add(figures);
            var text = new StringBuilder()
                .AppendLine("# Subgraph faults under load")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Gateway: subgraph timeout {SubgraphTimeout.TotalSeconds:0.#} s, circuit break {BreakDuration.TotalSeconds:0.#} s. Storefront operations: {string.Join(", ", StorefrontOperations.All.Select(o => o.Name))}.")
                .AppendLine()
                .AppendLine("| subgraph | fault | requests | partial answers | max answer ms | p50 ms | restart ms | recovery ms | problems |")
                .AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var f in _figures)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {f.Subgraph} | {f.Fault} | {f.Requests} | {f.PartialAnswers} | {f.MaxAnswer.TotalMilliseconds:0} | {f.MedianAnswer.TotalMilliseconds:0} | {(f.Restart is { } r ? r.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) : "-")} | {(f.Recovery is { } v ? v.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) : "not recovered")} | {f.Problems} |");
            }

            return TestOutput.Write(Path.Combine("faults", "subgraph-faults.md"), text.ToString());
        }
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await _live.DisposeAsync();
    }
}

/// <summary>What one injected fault cost: answers while it lasted, and the time to full answers after it ended.</summary>
public sealed record FaultFigures(
    string Subgraph,
    string Fault,
    int Requests,
    int PartialAnswers,
    TimeSpan MaxAnswer,
    TimeSpan MedianAnswer,
    TimeSpan? Restart,
    TimeSpan? Recovery,
    int Problems);
