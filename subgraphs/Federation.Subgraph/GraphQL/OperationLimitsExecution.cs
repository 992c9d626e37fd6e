using Federation.GraphQLLimits;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace Federation.Subgraph.GraphQL;

/// <summary>
/// The subgraph's own operation limits, bound from <c>GraphQL:Limits</c>: defense in depth behind the gateway, and the
/// only guard for whoever reaches a subgraph directly. Defaults leave room for what the gateway sends on (the client's
/// operation plus <c>_entities</c> wrappers, keys and batch aliases).
/// </summary>
public sealed class SubgraphLimitOptions
{
    public const string Section = "GraphQL:Limits";

    public int MaxDepth { get; set; } = 25;

    public int MaxAliases { get; set; } = 200;

    /// <summary>Fields once every fragment spread is expanded.</summary>
    public int MaxFields { get; set; } = 10_000;

    public int MaxIntrospectionDepth { get; set; } = 2;

    /// <summary>graphql-dotnet's complexity (list fields multiply their children by <c>first</c>, else by 5); 0 disables.</summary>
    public int MaxComplexity { get; set; } = 100_000;

    /// <summary>Errors reported for a request refused before execution (1,000 unknown directives are 1,000 errors).</summary>
    public int MaxErrors { get; set; } = 100;
}

/// <summary>
/// Checks <see cref="SubgraphLimitOptions"/> before graphql-dotnet validates: the check is linear in the document, while
/// validation rules and the complexity analyzer visit a fragment at every spread, so a document whose fragments double at
/// each level (2^22 fields from 1 KB) is refused before anything expands it. Runs inside the parsed-document cache, so a
/// text that passed once is not measured again.
/// </summary>
public sealed class OperationLimitsExecution(SubgraphLimitOptions options) : IConfigureExecution
{
    private readonly OperationLimitSettings _limits = new(options.MaxDepth, options.MaxAliases, options.MaxFields, options.MaxIntrospectionDepth);

    public float SortOrder => 250;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions execution, ExecutionDelegate next)
    {
        if (execution.Document is null && execution.Query is { } query)
        {
            GraphQLDocument document;
            try
            {
                document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.Comments });
            }
            catch (GraphQLParserException)
            {
                // graphql-dotnet parses again and reports the syntax error in its usual shape.
                return Capped(await next(execution));
            }

            execution.Document = document;
            if (Operation(document, execution.OperationName) is { } operation && OperationLimits.Check(document, operation, _limits) is var (message, code))
            {
                return new ExecutionResult { Errors = [new ValidationError(message) { Code = code }], Executed = false };
            }
        }

        return Capped(await next(execution));
    }

    private ExecutionResult Capped(ExecutionResult result)
    {
        if (!result.Executed && result.Errors is { } errors && options.MaxErrors > 0 && errors.Count > options.MaxErrors)
        {
            var kept = new ExecutionErrors();
            foreach (var error in errors.Take(options.MaxErrors))
            {
                kept.Add(error);
            }

            kept.Add(new ValidationError($"{errors.Count - options.MaxErrors} more errors were not reported.") { Code = "TOO_MANY_ERRORS" });
            result.Errors = kept;
        }

        return result;
    }

    private static GraphQLOperationDefinition? Operation(GraphQLDocument document, string? name)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>();
        return string.IsNullOrEmpty(name)
            ? operations.Take(2).Count() == 1 ? operations.First() : null
            : operations.FirstOrDefault(o => o.Name?.StringValue == name);
    }
}
