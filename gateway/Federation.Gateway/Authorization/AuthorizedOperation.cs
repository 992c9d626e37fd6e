using GraphQLParser.AST;

namespace Federation.Gateway.Authorization;

/// <summary>
/// What the caller may run of the client's operation: the document the planner gets (refused selections skipped)
/// and the caller, against whom shaping decides which missing fields to answer with an authorization error.
/// </summary>
public sealed record AuthorizedOperation(KnownDocument Document, GraphQLOperationDefinition Operation, CallerIdentity? Caller);
