using System.Diagnostics;
using System.Text.Json.Nodes;
using Federation.Gateway.Tests.Fixtures;
using Federation.Gateway.Tests.Transport;
using Xunit.Abstractions;

namespace Federation.Gateway.Tests.Validation;

/// <summary>
/// The abusive requests of issue 14, sent to the gateway process and straight to catalog's process: each is refused
/// with a clear error for well under a second of the receiving process's CPU, and the gateway's resident memory stays
/// within a stated bound.
/// </summary>
/// <remarks>
/// The cost is the process's CPU time (user + system, from <c>/proc</c>) over the request, not the wall clock: on 2
/// shared cores running other suites' stacks the wall clock of a 10 ms refusal reached 1.3 s in CI, which measured the
/// machine, not the refusal. The wall clock is printed, and bounded only against a hang.
/// </remarks>
[Collection(LiveStackCollection.Name)]
public sealed class AbuseProbeTests(LiveStackFixture stack, ITestOutputHelper output)
{
    /// <summary>Most the gateway's RSS may grow over all probes, each sent five times.</summary>
    private const long MemoryBound = 64L * 1024 * 1024;

    // CPU measured 0-130 ms on a quiet machine (printed; /proc counts in 10 ms ticks); the bound leaves room for a 350 KB body to parse
    // and for the process's own background work (GC, timers) in the same interval.
    private static readonly TimeSpan WellUnderASecond = TimeSpan.FromSeconds(1);

    /// <summary>Wall-clock bound against a hang only; the cost is bounded by <see cref="WellUnderASecond"/> of CPU.</summary>
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(15);

    public static TheoryData<string, string, string> Probes => new()
    {
        { "doubling fragments, 26 levels", AbusiveDocuments.DoublingFragments(26), "MAX_FIELDS_LIMIT" },
        { "introspection fan-out, level 8", AbusiveDocuments.IntrospectionFanOut(8), "MAX_INTROSPECTION_DEPTH_LIMIT" },
        { "introspection fan-out, level 10", AbusiveDocuments.IntrospectionFanOut(10), "MAX_INTROSPECTION_DEPTH_LIMIT" },
        { "10,000 aliases of products(first: 1) { totalCount }", AbusiveDocuments.Aliases(10_000, "products(first: 1) { totalCount }"), "MAX_ALIASES_LIMIT" },
        { "1,000 directives", AbusiveDocuments.Directives(1_000, "__typename"), "GRAPHQL_VALIDATION_FAILED" },
    };

    [Theory]
    [MemberData(nameof(Probes))]
    public async Task Gateway_Should_RefuseInWellUnderASecond_When_RequestIsAbusive(string probe, string query, string code)
    {
        // arrange: refusals leave nothing behind, so the probes share one warm gateway.
        var gateway = await stack.SharedGatewayAsync();

        // act
        var (status, body, cost, bytes) = await MeasuredAsync(gateway.Process.Id, () => PostAsync(gateway.Http, query));

        // assert
        output.WriteLine($"gateway, {probe}: {status} {code}, {cost}, {bytes} bytes");
        Assert.Equal(400, status);
        Assert.Equal(code, body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        cost.AssertBounded();
        Assert.True(bytes < 20_000, $"{bytes} bytes");
    }

    [Theory]
    [InlineData("doubling fragments, 22 levels", 22, "MAX_FIELDS_LIMIT")]
    [InlineData("doubling fragments, 26 levels", 26, "MAX_FIELDS_LIMIT")]
    public async Task Subgraph_Should_RefuseInWellUnderASecond_When_FragmentsDouble(string probe, int levels, string code)
    {
        // act
        var (status, body, cost, bytes) = await MeasuredAsync(stack.Catalog.Process.Id, () => stack.Catalog.PostAsync(AbusiveDocuments.DoublingFragments(levels)));

        // assert
        output.WriteLine($"catalog, {probe}: {status}, {cost}, {bytes} bytes");
        Assert.Equal(400, status);
        Assert.Equal(code, body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        cost.AssertBounded();
    }

    [Fact]
    public async Task Subgraph_Should_RefuseInWellUnderASecond_When_OperationHas10000Aliases()
    {
        // act
        var (status, body, cost, bytes) = await MeasuredAsync(stack.Catalog.Process.Id, () => stack.Catalog.PostAsync(AbusiveDocuments.Aliases(10_000, "products(first: 1) { totalCount }")));

        // assert
        output.WriteLine($"catalog, 10,000 aliases of products(first: 1) {{ totalCount }}: {status}, {cost}, {bytes} bytes");
        Assert.Equal(400, status);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("The operation uses 10000 aliases; the limit is 200.", error["message"]!.GetValue<string>());
        Assert.Equal("MAX_ALIASES_LIMIT", error["extensions"]!["code"]!.GetValue<string>());
        cost.AssertBounded();
    }

    [Fact]
    public async Task Subgraph_Should_ReportAtMost100Errors_When_OperationHas1000UnknownDirectives()
    {
        // act
        var (status, body, cost, bytes) = await MeasuredAsync(stack.Catalog.Process.Id, () => stack.Catalog.PostAsync(AbusiveDocuments.Directives(1_000, "__typename")));

        // assert
        output.WriteLine($"catalog, 1,000 directives: {status}, {cost}, {bytes} bytes, {body["errors"]!.AsArray().Count} errors");
        Assert.Equal(400, status);
        Assert.Equal(101, body["errors"]!.AsArray().Count);
        Assert.Equal("900 more errors were not reported.", body["errors"]![100]!["message"]!.GetValue<string>());
        Assert.True(bytes < 30_000, $"{bytes} bytes");
    }

    [Fact]
    public async Task Subgraph_Should_RefuseOnComplexity_When_PagesMultiplyWithinTheOtherLimits()
    {
        // arrange: 150 pages of 100 products, within the alias (200) and field (10,000) limits
        var query = AbusiveDocuments.Aliases(150, "products(first: 100) { nodes { id name description price createdAt rating reviewCount inStock category { name } } }");

        // act
        var (status, body, cost, _) = await MeasuredAsync(stack.Catalog.Process.Id, () => stack.Catalog.PostAsync(query));

        // assert
        output.WriteLine($"catalog, 150 pages of 100 products: {status}, {cost}: {body["errors"]?[0]?["message"]}");
        Assert.Equal(400, status);
        Assert.StartsWith("Query is too complex to execute.", body["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_Should_StayWithinItsMemoryBound_When_AbusiveRequestsRepeat()
    {
        // arrange: a gateway of its own, so its memory is measured alone, through one round of the probes first: what
        // the first round allocates once (code compiled, pools and caches filled) is not growth from repeating them.
        // Measured from the warm gateway without it, five rounds grew it 67 MB once in a clean-clone run (112.6 -> 179.8);
        // after it, 37 MB (129.9 -> 167.3) alone.
        await using var gateway = await stack.StartWarmGatewayAsync();
        await ProbeRoundAsync(gateway);
        var before = gateway.ResidentBytes;

        // act
        for (var round = 0; round < 5; round++)
        {
            await ProbeRoundAsync(gateway);
        }

        var after = gateway.ResidentBytes;

        // assert
        output.WriteLine($"gateway RSS before the probes {before / 1048576.0:0.0} MB, after 5 rounds of {Probes.Count()} probes {after / 1048576.0:0.0} MB (bound: +{MemoryBound / 1048576} MB)");
        Assert.True(after - before < MemoryBound, $"grew {(after - before) / 1048576.0:0.0} MB");
    }

    /// <summary>Every probe once, each refused with 400.</summary>
    private static async Task ProbeRoundAsync(GatewayProcess gateway)
    {
        foreach (var probe in Probes)
        {
            using var response = await PostAsync(gateway.Http, (string)probe[1]);
            Assert.Equal(400, (int)response.StatusCode);
        }
    }

    /// <summary>Asks for application/graphql-response+json, under which a refused request is answered 400.</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string query)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, string.Empty)
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        return http.SendAsync(request);
    }

    /// <summary>Sends the request and measures what it cost the process <paramref name="pid"/> that answers it.</summary>
    private static async Task<(int Status, JsonObject Body, Cost Cost, int Bytes)> MeasuredAsync(int pid, Func<Task<HttpResponseMessage>> send)
    {
        var cpuBefore = CpuTime(pid);
        var clock = Stopwatch.StartNew();
        using var response = await send();
        var text = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed;
        var cost = new Cost(CpuTime(pid) - cpuBefore, elapsed);
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject(), cost, System.Text.Encoding.UTF8.GetByteCount(text));
    }

    /// <summary>User + system CPU time of <paramref name="pid"/> so far (Linux reads <c>/proc/{pid}/stat</c>).</summary>
    private static TimeSpan CpuTime(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }

    private readonly record struct Cost(TimeSpan Cpu, TimeSpan Elapsed)
    {
        public void AssertBounded()
        {
            Assert.True(Cpu < WellUnderASecond, $"{Cpu.TotalMilliseconds:0} ms of CPU");
            Assert.True(Elapsed < NoHang, $"{Elapsed.TotalMilliseconds:0} ms of wall clock");
        }

        public override string ToString() => $"{Cpu.TotalMilliseconds:0} ms CPU in {Elapsed.TotalMilliseconds:0} ms";
    }
}
