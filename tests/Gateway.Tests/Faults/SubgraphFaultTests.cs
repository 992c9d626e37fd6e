using System.Diagnostics;
using System.Text.Json.Nodes;
using Federation.Testing.Processes;
using Xunit.Abstractions;

namespace Federation.Gateway.Tests.Faults;

/// <summary>
/// Fault injection with real processes: each subgraph is frozen (SIGSTOP: sockets open, nothing answers) or killed
/// (SIGKILL: connections refused) while three clients run the storefront's operations through the gateway. Every answer
/// must come within the subgraph timeout, carry the other subgraphs' data, and name the failing subgraph in its errors;
/// once the process is back (SIGCONT or a restart on the same port), full answers must resume within the circuit's
/// break plus one probe.
/// </summary>
/// <remarks>
/// Relies on the schema's graceful degradation: a field one subgraph adds to another's entity (Product.reviews,
/// User.orders, User.unreadNotificationCount, Product.stock, Order.payment) and a reference into another subgraph's
/// entity (OrderLine.product, Review.user) are nullable, so a failing subgraph's null stays in place ("missing, not null
/// in place" otherwise: the null reaches the product, the order or the user).
/// </remarks>
[Trait("Lane", "Faults")]
[Collection(FaultCollection.Name)]
public sealed class SubgraphFaultTests(FaultStackFixture stack, ITestOutputHelper output)
{
    private const int Clients = 3;
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Time an answer may take beyond the one frozen fetch's timeout: the gateway's work and the healthy fetches before it
    /// (orders before payments) on two shared cores. Still short of a second timeout, which a repeated fetch would cost.
    /// </summary>
    private static readonly TimeSpan Overhead = TimeSpan.FromSeconds(2.5);

    public static TheoryData<string, string> Faults()
    {
        var data = new TheoryData<string, string>();
        foreach (var subgraph in new[] { "accounts", "catalog", "inventory", "orders", "payments", "reviews", "notifications" })
        {
            data.Add(subgraph, "SIGSTOP");
            data.Add(subgraph, "SIGKILL");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Storefront_Should_AnswerPartiallyWithinTheTimeoutAndRecover_When_SubgraphIsFrozenOrKilled(string subgraph, string fault)
    {
        // arrange
        var process = stack.Subgraphs[subgraph];
        await stack.EnsureSignedInAsync();
        var healthy = await UntilFullAnswersAsync(TimeSpan.FromSeconds(60));
        Assert.True(healthy is not null, "The stack did not answer every operation in full before the fault.");

        // act
        List<Answer> answers;
        TimeSpan? restart = null;
        if (fault == "SIGSTOP")
        {
            Signals.Stop(process.Process.Id);
            try
            {
                answers = await LoadAsync();
            }
            finally
            {
                Signals.Continue(process.Process.Id);
            }
        }
        else
        {
            process.Kill();
            try
            {
                answers = await LoadAsync();
            }
            finally
            {
                var clock = Stopwatch.StartNew();
                await process.RestartAsync();
                // Back means serving GraphQL, not only ready: the first request builds the schema and JITs the pipeline.
                await process.QueryAsync("{ __typename }");
                restart = clock.Elapsed;
            }
        }

        var recovery = await UntilFullAnswersAsync(TimeSpan.FromSeconds(30));
        var recoveryLimit = RecoveryLimit(fault);

        // assert
        var limit = FaultStackFixture.SubgraphTimeout + Overhead;
        var problems = answers.SelectMany(a => Problems(a, subgraph, limit).Select(p => $"{a.Operation.Name} after {a.Elapsed.TotalMilliseconds:0} ms: {p}")).ToList();
        var times = answers.Select(a => a.Elapsed).Order().ToList();
        var figures = new FaultFigures(subgraph, fault, answers.Count, answers.Count(a => a.Body["errors"] is not null), times[^1], times[times.Count / 2], restart, recovery, problems.Count);
        var file = stack.Record(figures);
        output.WriteLine($"{subgraph} {fault}: {answers.Count} answers from {Clients} clients in {LoadDuration.TotalSeconds:0} s, {figures.PartialAnswers} with errors; "
            + $"answer time max {figures.MaxAnswer.TotalMilliseconds:0} ms, median {figures.MedianAnswer.TotalMilliseconds:0} ms (limit {limit.TotalMilliseconds:0} ms); "
            + (restart is { } r ? $"restart {r.TotalMilliseconds:0} ms; " : string.Empty)
            + $"full answers again {(recovery is { } v ? $"{v.TotalMilliseconds:0} ms" : "never")} after the process was back (limit {recoveryLimit.TotalMilliseconds:0} ms). Figures: {file}");
        foreach (var group in problems.GroupBy(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]))
        {
            output.WriteLine($"  {group.Count()} problem(s) in {group.Key}, first: {group.First()}");
        }

        Assert.Empty(problems);
        Assert.All(StorefrontOperations.All.Where(o => o.Parts.ContainsKey(subgraph)), o => Assert.Contains(answers, a => a.Operation == o));
        Assert.True(recovery is not null, "Full answers did not resume after the process was back.");
        Assert.InRange(recovery ?? TimeSpan.MaxValue, TimeSpan.Zero, recoveryLimit);
    }

    /// <summary>
    /// The open circuit's break, then one half-open probe that may take the subgraph timeout. A restarted process is
    /// cold (JIT, connection pools, its consumers joining Kafka) and may miss its first probe: then one more break.
    /// </summary>
    private static TimeSpan RecoveryLimit(string fault) =>
        (FaultStackFixture.BreakDuration + FaultStackFixture.SubgraphTimeout) * (fault == "SIGKILL" ? 2 : 1);

    /// <summary>
    /// <see cref="Clients"/> clients, each going round the storefront's operations at least once and on until the load
    /// ends. A full round, not a fixed time, is what makes every operation meet the fault: with a subgraph frozen each of
    /// its operations takes the subgraph timeout, and on a loaded machine a fixed five seconds left some never sent.
    /// </summary>
    private async Task<List<Answer>> LoadAsync()
    {
        var operations = StorefrontOperations.All;
        var end = DateTime.UtcNow + LoadDuration;
        var perClient = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            var answers = new List<Answer>();
            for (var sent = 0; sent < operations.Count || DateTime.UtcNow < end; sent++)
            {
                var operation = operations[(client + sent) % operations.Count];
                var (status, body, elapsed) = await stack.SendAsync(operation);
                answers.Add(new Answer(operation, status, body, elapsed));
            }

            return answers;
        }));
        return [.. perClient.SelectMany(a => a)];
    }

    /// <summary>
    /// Time from now until the start of the first round in which every operation answered in full; null when none did
    /// within <paramref name="timeout"/>.
    /// </summary>
    private async Task<TimeSpan?> UntilFullAnswersAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var round = clock.Elapsed;
            var full = true;
            foreach (var operation in StorefrontOperations.All)
            {
                var (status, body, elapsed) = await stack.SendAsync(operation);
                if (Problems(new Answer(operation, status, body, elapsed), null, TimeSpan.MaxValue).Any())
                {
                    full = false;
                    break;
                }
            }

            if (full)
            {
                return round;
            }

            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>
    /// What is wrong with an answer given the failing subgraph (none: a full answer): too slow, not 200, an error not
    /// naming the failing subgraph or not on its part, the failing part present, or another subgraph's part missing.
    /// </summary>
    private static IEnumerable<string> Problems(Answer answer, string? failing, TimeSpan limit)
    {
        if (answer.Elapsed > limit)
        {
            yield return $"answered after the limit of {limit.TotalMilliseconds:0} ms";
        }

        if (answer.Status != 200)
        {
            yield return $"status {answer.Status}: {answer.Body.ToJsonString()}";
            yield break;
        }

        var operation = answer.Operation;
        var failingParts = failing is null ? Array.Empty<string>() : operation.PartsOf(failing);
        var errors = answer.Body["errors"]?.AsArray() ?? new JsonArray();
        if (failingParts.Length == 0 && errors.Count > 0)
        {
            yield return $"errors although it needs nothing from {failing ?? "a failing subgraph"}: {errors.ToJsonString()}";
        }

        if (failingParts.Length > 0 && errors.Count == 0)
        {
            yield return $"no error although {failing} failed: {answer.Body.ToJsonString()}";
        }

        var data = answer.Body["data"];
        foreach (var error in errors.Where(_ => failingParts.Length > 0))
        {
            var service = error?["extensions"]?["serviceName"]?.GetValue<string>();
            var path = string.Join('.', error?["path"]?.AsArray().Where(s => s!.GetValueKind() == System.Text.Json.JsonValueKind.String).Select(s => s!.GetValue<string>()) ?? Enumerable.Empty<string>());
            // A failed root fetch leaves no field to point at: like Apollo Gateway, the error then names only the subgraph.
            if (error?["path"] is null && !failingParts.Any(p => !p.Contains('.', StringComparison.Ordinal)))
            {
                yield return $"an error has no path: {error!.ToJsonString()}";
            }

            if (service != failing)
            {
                yield return $"an error names {service ?? "no subgraph"} instead of {failing}: {error!.ToJsonString()}";
            }

            if (!failingParts.Any(part => part.Replace("[*]", string.Empty, StringComparison.Ordinal).StartsWith(path, StringComparison.Ordinal)))
            {
                yield return $"an error's path {path} is not on {failing}'s part ({string.Join(", ", failingParts)}): {error!.ToJsonString()}";
            }
        }

        var landings = failingParts.Distinct().ToList();
        foreach (var landing in landings)
        {
            var root = !landing.Contains('.', StringComparison.Ordinal);
            foreach (var value in StorefrontOperations.Select(data, landing))
            {
                if (root ? value.Value is not null : !value.Reached || value.Value is not null)
                {
                    yield return value.Reached
                        ? $"{value.Path} is present although {failing} failed"
                        : $"{value.Path} is missing, not null in place: the null reached its parent ({data?.ToJsonString()})";
                }
            }
        }

        foreach (var (subgraph, parts) in operation.Parts)
        {
            if (subgraph == failing)
            {
                continue;
            }

            foreach (var part in parts.Where(p => !landings.Any(l => p.StartsWith(l, StringComparison.Ordinal))))
            {
                foreach (var value in StorefrontOperations.Select(data, part).Where(v => v.Value is null))
                {
                    yield return $"{subgraph}'s {value.Path} is missing ({answer.Body.ToJsonString()})";
                }
            }
        }
    }

    private sealed record Answer(StorefrontOperation Operation, int Status, JsonObject Body, TimeSpan Elapsed);
}

/// <summary>Runs alone, after the parallel collections: its timings would otherwise measure the other tests' load.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection : ICollectionFixture<FaultStackFixture>
{
    public const string Name = "subgraph faults";
}
