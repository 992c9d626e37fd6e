using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Federation.Gateway.Tests.Fuzzing;

/// <summary>One gateway under comparison: sends a query with its variables and returns the response body.</summary>
internal delegate Task<JsonObject> Execute(string query, JsonObject? variables);

/// <summary>
/// Generates operations and runs each against two gateways on the same subgraphs; any difference in <c>data</c> or in
/// the set of error paths is shrunk (one selection, argument, directive or alias at a time, while the difference
/// persists and the document stays valid) and reported with both answers.
/// </summary>
/// <remarks>
/// Apollo Gateway is not always right (it fails 6 of the audit's 199 tests, and the fuzzer found it nulling an entity's non-null
/// list field whose only sub-field a variable excludes). With a
/// <paramref name="secondOracle"/> (Hive Gateway), a disagreement with Apollo counts as ours being right only when
/// Hive Gateway gives exactly our answer; each such case is listed in the report.
/// </remarks>
internal sealed class DifferentialFuzzer(
    FuzzSchema schema,
    ISchema apiSchema,
    HarvestedValues harvested,
    IReadOnlySet<string> excludedRootFields,
    Execute ours,
    Execute reference,
    Func<Task<Execute>>? secondOracle = null)
{
    private const int MaxShrinkSteps = 400;
    private static readonly GraphQLSerializer Serializer = new();

    public async Task<FuzzReport> RunAsync(int seed, int count, int parallelism = 4)
    {
        var report = new FuzzReport(seed);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (index, _) =>
        {
            // Each operation has its own generator seeded by (seed, index): a failure replays alone from those two numbers.
            var operation = new OperationGenerator(schema, harvested, excludedRootFields, new Random(unchecked((seed * 1_000_003) + index))).Generate();
            var (query, variables) = operation.Print();
            if (await ValidationErrorAsync(query, variables) is { } error)
            {
                report.CountInvalid(error + " in " + query);
                return;
            }

            report.CountCompared();
            var difference = await CompareAsync(query, variables, report);
            if (difference is not null && report.Failures.Count < 5)
            {
                report.Failures.Add(await ShrinkAsync(index, operation, difference, report));
            }
            else if (difference is not null)
            {
                report.Failures.Add(new FuzzFailure(index, query, variables, query, variables, difference));
            }
        });
        return report;
    }

    /// <summary>The same compare the corpus uses: <c>data</c> byte for byte, and the sorted error paths (messages may differ).</summary>
    private async Task<string?> CompareAsync(string query, JsonObject? variables, FuzzReport? report)
    {
        var mine = await ours(query, (JsonObject?)variables?.DeepClone());
        if (IsCostRefusal(mine))
        {
            // Our demand control refuses before any fetch (the generator's out-of-range list sizes, e.g. first: 2000000);
            // Apollo Gateway has no cost limit and leaves the subgraph to refuse the one fetch, so there is nothing to compare.
            report?.CountCostRefused();
            return null;
        }

        var theirs = await reference(query, (JsonObject?)variables?.DeepClone());
        if (Same(mine, theirs))
        {
            return null;
        }

        var difference = $"ours:   {mine.ToJsonString()}\nApollo: {theirs.ToJsonString()}";
        if (secondOracle is null)
        {
            return difference;
        }

        var hive = await (await secondOracle())(query, (JsonObject?)variables?.DeepClone());
        if (Same(mine, hive))
        {
            report?.Overrule($"{query}\nvariables: {variables?.ToJsonString() ?? "{}"}\n{difference}\nHive:   {hive.ToJsonString()}");
            return null;
        }

        return $"{difference}\nHive:   {hive.ToJsonString()}";
    }

    private static bool Same(JsonObject a, JsonObject b) =>
        a["data"]?.ToJsonString() == b["data"]?.ToJsonString() && ErrorPaths(a) == ErrorPaths(b);

    private async Task<FuzzFailure> ShrinkAsync(int index, FuzzOperation operation, string difference, FuzzReport report)
    {
        var (originalQuery, originalVariables) = operation.Print();
        var current = operation;
        var steps = 0;
        var shrunk = true;
        while (shrunk && steps < MaxShrinkSteps)
        {
            shrunk = false;
            foreach (var smaller in current.Reductions())
            {
                if (++steps > MaxShrinkSteps)
                {
                    break;
                }

                var (query, variables) = smaller.Print();
                if (await ValidationErrorAsync(query, variables) is not null || await CompareAsync(query, variables, null) is not { } stillDifferent)
                {
                    continue;
                }

                current = smaller;
                difference = stillDifferent;
                shrunk = true;
                break;
            }
        }

        var (minimal, minimalVariables) = current.Print();
        return new FuzzFailure(index, originalQuery, originalVariables, minimal, minimalVariables, difference);
    }

    /// <summary>
    /// Valid against the API schema. Variable values are not checked: a deliberately wrong value is a request error both
    /// gateways must report, so it stays in.
    /// </summary>
    private async Task<string?> ValidationErrorAsync(string query, JsonObject? variables)
    {
        GraphQLDocument document;
        try
        {
            document = GraphQLParser.Parser.Parse(query);
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException e)
        {
            return e.Message;
        }

        var inputs = variables is null ? Inputs.Empty : Serializer.Deserialize<Inputs>(variables.ToJsonString()) ?? Inputs.Empty;
        var result = await new DocumentValidator().ValidateAsync(new ValidationOptions
        {
            Schema = apiSchema,
            Document = document,
            Operation = document.Definitions.OfType<GraphQLOperationDefinition>().Single(),
            Variables = inputs,
            Rules = DocumentValidator.CoreRules,
        });
        return result.Errors.FirstOrDefault(e => e is not InvalidVariableError)?.Message;
    }

    private static bool IsCostRefusal(JsonObject response) =>
        response["data"] is null
        && response["errors"] is JsonArray { Count: 1 } errors
        && errors[0]?["extensions"]?["code"]?.GetValue<string>() == "COST_ESTIMATED_TOO_EXPENSIVE";

    private static string ErrorPaths(JsonObject response) =>
        string.Join('|', (response["errors"]?.AsArray() ?? []).Select(e => e?["path"]?.ToJsonString() ?? "<none>").Order(StringComparer.Ordinal));
}

internal sealed record FuzzFailure(int Index, string Query, JsonObject? Variables, string MinimalQuery, JsonObject? MinimalVariables, string Difference);

internal sealed class FuzzReport(int seed)
{
    private int _compared;
    private int _invalid;

    private int _costRefused;

    public int Compared => _compared;

    /// <summary>Compared operations our cost limit refused (Apollo Gateway has none), so not compared after all.</summary>
    public int CostRefused => _costRefused;

    public int Invalid => _invalid;

    public int Seed { get; } = seed;

    public ConcurrentBag<FuzzFailure> Failures { get; } = [];

    /// <summary>Operations where Apollo Gateway disagreed with us and Hive Gateway agreed with us.</summary>
    public ConcurrentQueue<string> ApolloOverruled { get; } = [];

    public void CountCompared() => Interlocked.Increment(ref _compared);

    public void CountCostRefused() => Interlocked.Increment(ref _costRefused);

    public void Overrule(string description) => ApolloOverruled.Enqueue(description);

    /// <summary>The first few reasons, so a generator that drifts into invalid operations shows why.</summary>
    public ConcurrentQueue<string> InvalidSamples { get; } = [];

    public void CountInvalid(string reason)
    {
        if (Interlocked.Increment(ref _invalid) <= 3)
        {
            InvalidSamples.Enqueue(reason);
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder($"seed {Seed}: {Compared} operations compared, {Invalid} generated invalid and skipped, {CostRefused} refused by our cost limit, {Failures.Count} different, {ApolloOverruled.Count} where Hive Gateway confirmed ours against Apollo Gateway");
        foreach (var overruled in ApolloOverruled.Take(3))
        {
            sb.Append("\nApollo overruled by Hive: ").Append(overruled);
        }

        foreach (var sample in InvalidSamples)
        {
            sb.Append("\ninvalid: ").Append(sample);
        }

        foreach (var failure in Failures.OrderBy(f => f.Index).Take(5))
        {
            sb.Append("\n\n#").Append(failure.Index).Append(" minimal: ").Append(failure.MinimalQuery)
                .Append("\nvariables: ").Append(failure.MinimalVariables?.ToJsonString() ?? "{}")
                .Append('\n').Append(failure.Difference)
                .Append("\noriginal: ").Append(failure.Query)
                .Append("\nvariables: ").Append(failure.Variables?.ToJsonString() ?? "{}");
        }

        return sb.ToString();
    }
}
