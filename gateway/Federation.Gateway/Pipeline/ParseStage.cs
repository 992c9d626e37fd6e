using GraphQLParser;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>Turns the query text into a document, or takes the one already validated for the same text.</summary>
public sealed class ParseStage(ILogger<ParseStage> logger) : IRequestStage
{
    public string Name => "graphql.parse";

    public ValueTask InvokeAsync(RequestContext context)
    {
        var query = context.Query;
        if (string.IsNullOrWhiteSpace(query))
        {
            return context.Reject(400, "GraphQL operations must contain a non-empty `query`.", "BAD_REQUEST");
        }

        // A text that parsed and validated against this schema before is neither parsed nor checked by the document
        // rules again; its variable values still are.
        if (context.Schema.ValidDocument(query) is { } known)
        {
            context.KnownDocument = known;
            context.Document = known.Document;
            return ValueTask.CompletedTask;
        }

        try
        {
            context.Document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLParserException e)
        {
            logger.ParseFailed(context.RequestId, context.OperationName, e.Description);
            return context.RefuseOperation("Syntax Error: " + e.Description, "GRAPHQL_PARSE_FAILED", [GraphQLErrors.Location(e.Location.Line, e.Location.Column)]);
        }

        return ValueTask.CompletedTask;
    }
}
