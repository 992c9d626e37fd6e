using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Gateway;
using Federation.Gateway.Execution;
using Federation.Gateway.Transport;

namespace Gateway.Benchmarks;

/// <summary>
/// <c>profile [operation] [requests] [rounds]</c>: runs one operation through the engine in a tight loop with the
/// subgraphs replayed and the answer serialized as the host does, and prints allocated bytes and CPU time per request
/// per round (median and range). Allocations are exact; CPU time is the process's (GC threads included), so it still
/// moves with a busy machine, less than wall-clock time does. Attach <c>dotnet-trace</c> to its pid for a CPU profile.
/// </summary>
public static class Profile
{
    public static async Task RunAsync(string[] args)
    {
        var name = args.Length > 1 ? args[1] : "gateways-benchmark";
        var requests = args.Length > 2 ? int.Parse(args[2]) : 2000;
        var rounds = args.Length > 3 ? int.Parse(args[3]) : 7;
        var operation = Operation.Named(name);
        var request = new GatewayRequest(operation.Query, null, null);
        ISubgraphClient client = name == "gateways-benchmark"
            ? await ReplaySubgraphClient.RecordAsync(operation.Supergraph, request)
            : new CannedSubgraphClient(CatalogProducts());
        using var engine = new GatewayEngine(operation.Supergraph, ReplaySubgraphClient.Options(), client);
        var output = new ArrayBufferWriter<byte>(128 * 1024);
        using var writer = new Utf8JsonWriter(output);

        async Task<int> Once()
        {
            var result = await engine.ExecuteAsync(request);
            output.ResetWrittenCount();
            writer.Reset(output);
            result.WriteTo(writer);
            writer.Flush();
            return output.WrittenCount;
        }

        var first = await Once();
        var body = Encoding.UTF8.GetString(output.WrittenSpan);
        if (body.Contains("\"errors\"") || body.Contains("valueCompletion"))
            throw new InvalidOperationException("The replayed request failed: " + body[..Math.Min(body.Length, 2000)]);
        Console.WriteLine($"{name}: {first} response bytes, sha256 {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(output.WrittenSpan))[..16]}, pid {Environment.ProcessId}");

        for (var i = 0; i < Math.Max(500, requests / 2); i++)
            await Once();

        if (Environment.GetEnvironmentVariable("PROFILE_WAIT") is { } wait)
        {
            Console.WriteLine($"waiting {wait} s for a profiler");
            await Task.Delay(TimeSpan.FromSeconds(double.Parse(wait)));
        }

        var cpu = new List<double>();
        var bytes = new List<double>();
        var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < requests; i++)
                await Once();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / requests);
            bytes.Add((double)allocated / requests);
        }

        if (args.Contains("--stages"))
            await StagesAsync(Once, requests);

        if (args.Contains("--types"))
            await AllocatedTypesAsync(Once, requests);

        cpu.Sort();
        bytes.Sort();
        Console.WriteLine($"{name}: CPU us/request median {cpu[cpu.Count / 2]:0.0} (min {cpu[0]:0.0}, max {cpu[^1]:0.0}, {rounds} rounds of {requests}); " +
            $"allocated bytes/request median {bytes[bytes.Count / 2]:0} (min {bytes[0]:0}, max {bytes[^1]:0}); gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
    }

    /// <summary>
    /// Thread CPU time and allocated bytes per request of each span the engine opens (stages, subgraph fetches), and of
    /// serializing the answer. The replayed subgraphs answer synchronously, so a request runs on one thread throughout and
    /// both counters are that thread's. Spans nest (fetches inside graphql.execute inside graphql.request): inclusive.
    /// </summary>
    private static async Task StagesAsync(Func<Task<int>> once, int requests)
    {
        var totals = new Dictionary<string, (long Nanoseconds, long Bytes)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Federation.Gateway.Pipeline.GatewayTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity => activity.SetCustomProperty("profile", (ThreadCpu.Nanoseconds(), GC.GetAllocatedBytesForCurrentThread())),
            ActivityStopped = activity =>
            {
                var (cpu, bytes) = ((long, long))activity.GetCustomProperty("profile")!;
                var name = activity.DisplayName.StartsWith("fetch ", StringComparison.Ordinal) ? "fetch (replayed: request serialized, answer parsed)" : activity.OperationName;
                var (n, b) = totals.GetValueOrDefault(name);
                totals[name] = (n + ThreadCpu.Nanoseconds() - cpu, b + GC.GetAllocatedBytesForCurrentThread() - bytes);
            },
        };
        ActivitySource.AddActivityListener(listener);
        long wholeCpu = 0, wholeBytes = 0;
        for (var i = 0; i < requests; i++)
        {
            var (cpu, bytes) = (ThreadCpu.Nanoseconds(), GC.GetAllocatedBytesForCurrentThread());
            await once();
            wholeCpu += ThreadCpu.Nanoseconds() - cpu;
            wholeBytes += GC.GetAllocatedBytesForCurrentThread() - bytes;
        }

        Console.WriteLine($"per request, {requests} requests with every span sampled (thread CPU us, allocated bytes):");
        Console.WriteLine($"  {"whole request incl. serialization",-55} {wholeCpu / 1000.0 / requests,8:0.0} us {wholeBytes / requests,9} B");
        foreach (var (name, (cpu, bytes)) in totals.OrderByDescending(t => t.Value.Nanoseconds))
            Console.WriteLine($"  {name,-55} {cpu / 1000.0 / requests,8:0.0} us {bytes / requests,9} B  {100.0 * cpu / wholeCpu,5:0.0}%");
    }

    /// <summary>
    /// The types allocated, from the runtime's allocation samples (one event per ~100 KB allocated, naming the type of
    /// the object that crossed the mark): a histogram of where the bytes go, without a profiler attached.
    /// </summary>
    private static async Task AllocatedTypesAsync(Func<Task<int>> once, int requests)
    {
        using var listener = new AllocationListener();
        for (var i = 0; i < requests; i++)
            await once();

        var total = listener.Samples.Values.Sum();
        Console.WriteLine($"allocation samples by type ({total} samples of ~100 KB over {requests} requests):");
        foreach (var (type, count) in listener.Samples.OrderByDescending(s => s.Value).Take(25))
            Console.WriteLine($"  {100.0 * count / total,5:0.0}%  {type}");
    }

    private sealed class AllocationListener : System.Diagnostics.Tracing.EventListener
    {
        public Dictionary<string, int> Samples { get; } = [];

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs data)
        {
            if (data.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || data.PayloadNames is null)
                return;
            var type = data.Payload?[data.PayloadNames.IndexOf("TypeName")] as string ?? "?";
            lock (Samples)
                Samples[type] = Samples.GetValueOrDefault(type) + 1;
        }
    }

    private static class ThreadCpu
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        /// <summary>CLOCK_THREAD_CPUTIME_ID: time this thread ran, which other processes on the machine do not inflate.</summary>
        public static long Nanoseconds()
        {
            ClockGetTime(3, out var time);
            return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
        }
    }

    /// <summary>Twenty products as the catalog subgraph answers workload 2a (names and descriptions of its seed's lengths).</summary>
    private static byte[] CatalogProducts()
    {
        var nodes = new JsonArray();
        for (var i = 1; i <= 20; i++)
        {
            nodes.Add(new JsonObject
            {
                ["id"] = i.ToString(),
                ["name"] = $"Ergonomic Steel Keyboard {i}",
                ["description"] = $"The {i}th product of the catalog: a sturdy, well reviewed item with a long enough description to look like the seed data.",
                ["price"] = 10.5 + i,
            });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["data"] = new JsonObject { ["products"] = new JsonObject { ["nodes"] = nodes } } });
    }

    /// <summary>Answers every request with the same bytes, after serializing the request as the HTTP client does.</summary>
    private sealed class CannedSubgraphClient(byte[] answer) : ISubgraphClient
    {
        public Task<JsonObject> ExecuteAsync(string subgraph, Uri url, JsonObject request, CancellationToken cancellationToken)
        {
            GC.KeepAlive(JsonSerializer.SerializeToUtf8Bytes(request));
            return Task.FromResult(JsonNode.Parse(answer, ResultState.NodeOptions)!.AsObject());
        }

        /// <summary>The engine's path: the answer's bytes read as <see cref="HttpSubgraphClient"/> reads them (a copy per call, as a new body).</summary>
        public Task<SubgraphAnswer> ExecuteCacheableReadAsync(string subgraph, Uri url, JsonObject request, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
        {
            GC.KeepAlive(JsonSerializer.SerializeToUtf8Bytes(request));
            var body = (byte[])answer.Clone();
            return Task.FromResult(new SubgraphAnswer(SubgraphResponse.Parse(body, body.Length)!, null));
        }
    }
}
