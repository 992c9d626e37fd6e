using GraphQLParser.AST;

namespace Federation.Gateway.Planning;

/// <summary>The keyword an operation of each type starts with in a document, as spans and messages name it too.</summary>
internal static class OperationKeyword
{
    public static string Of(OperationType type) => type switch
    {
        OperationType.Mutation => "mutation",
        OperationType.Subscription => "subscription",
        _ => "query",
    };
}
