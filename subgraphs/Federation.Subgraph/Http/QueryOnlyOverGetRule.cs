using GraphQL.Validation;
using GraphQLParser.AST;

namespace Federation.Subgraph.Http;

/// <summary>Rejects mutations and subscriptions sent with GET, which must be safe and cacheable.</summary>
public sealed class QueryOnlyOverGetRule : ValidationRuleBase, INodeVisitor
{
    internal const string HttpMethodKey = "federation.httpMethod";
    internal const string ErrorNumber = "GET_NOT_ALLOWED";

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        context.UserContext.TryGetValue(HttpMethodKey, out var method) && "GET".Equals(method as string, StringComparison.OrdinalIgnoreCase)
            ? new(this)
            : default;

    public ValueTask EnterAsync(ASTNode node, ValidationContext context)
    {
        if (node is GraphQLOperationDefinition { Operation: not OperationType.Query } operation
            && (context.Operation is null || ReferenceEquals(context.Operation, operation)))
        {
            context.ReportError(new ValidationError(context.Document.Source, ErrorNumber,
                $"Only query operations can be sent with GET; use POST for a {operation.Operation.ToString().ToLowerInvariant()}.", operation));
        }
        return default;
    }

    public ValueTask LeaveAsync(ASTNode node, ValidationContext context) => default;
}
