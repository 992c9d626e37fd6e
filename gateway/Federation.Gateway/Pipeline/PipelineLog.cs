using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>The engine's log events: structured, each with the request id and the operation name.</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(1, LogLevel.Error, "Request {RequestId} ({OperationName}) failed with an unexpected exception; the client got a generic error")]
    public static partial void Unexpected(this ILogger logger, Exception exception, string requestId, string? operationName);

    [LoggerMessage(2, LogLevel.Debug, "Request {RequestId}: persisted query not used ({Code})")]
    public static partial void PersistedQueryRejected(this ILogger logger, string requestId, string code);

    [LoggerMessage(3, LogLevel.Debug, "Request {RequestId} ({OperationName}): the document does not parse: {Description}")]
    public static partial void ParseFailed(this ILogger logger, string requestId, string? operationName, string description);

    [LoggerMessage(4, LogLevel.Debug, "Request {RequestId} ({OperationName}): no operation to run ({Code})")]
    public static partial void OperationRejected(this ILogger logger, string requestId, string? operationName, string code);

    [LoggerMessage(5, LogLevel.Debug, "Request {RequestId} ({OperationName}) failed validation with {ErrorCount} errors, the first: {FirstError}")]
    public static partial void ValidationFailed(this ILogger logger, string requestId, string? operationName, int errorCount, string firstError);

    [LoggerMessage(6, LogLevel.Information, "Request {RequestId} ({OperationName}) rejected by an operation limit ({Code}): {Reason}")]
    public static partial void LimitExceeded(this ILogger logger, string requestId, string? operationName, string code, string reason);

    [LoggerMessage(7, LogLevel.Debug, "Request {RequestId} ({OperationName}): planned {FetchCount} fetches in {ElapsedMs:0.###} ms")]
    public static partial void Planned(this ILogger logger, string requestId, string? operationName, int fetchCount, double elapsedMs);

    [LoggerMessage(8, LogLevel.Warning, "Request {RequestId} ({OperationName}) could not be planned: {Reason}")]
    public static partial void PlanningFailed(this ILogger logger, string requestId, string? operationName, string reason);

    [LoggerMessage(9, LogLevel.Debug, "Request {RequestId} ({OperationName}): {FetchCount} fetches ran, {ErrorCount} errors")]
    public static partial void Executed(this ILogger logger, string requestId, string? operationName, int fetchCount, int errorCount);

    [LoggerMessage(10, LogLevel.Debug, "Request {RequestId} ({OperationName}): shaped, {CompletionErrorCount} value completion errors")]
    public static partial void Shaped(this ILogger logger, string requestId, string? operationName, int completionErrorCount);

    [LoggerMessage(12, LogLevel.Information, "Request {RequestId} ({OperationName}): caller (authenticated: {Authenticated}) refused {Coordinates}")]
    public static partial void Unauthorized(this ILogger logger, string requestId, string? operationName, bool authenticated, string coordinates);

    [LoggerMessage(11, LogLevel.Debug, "Request {RequestId} ({OperationName}) answered {StatusCode}")]
    public static partial void Responded(this ILogger logger, string requestId, string? operationName, int statusCode);

    [LoggerMessage(12, LogLevel.Warning, "Request {RequestId} ({OperationName}) passed its deadline of {Seconds} s")]
    public static partial void DeadlinePassed(this ILogger logger, string requestId, string? operationName, double seconds);

    [LoggerMessage(20, LogLevel.Information, "Request {RequestId} ({OperationName}): estimated cost {Estimated} is above the maximum {Max} ({Mode} mode)")]
    public static partial void CostTooHigh(this ILogger logger, string requestId, string? operationName, double estimated, double max, DemandControl.DemandControlMode mode);

    [LoggerMessage(21, LogLevel.Information, "Request {RequestId} ({OperationName}): cost not estimated: {Reason}")]
    public static partial void CostNotEstimated(this ILogger logger, string requestId, string? operationName, string reason);

    [LoggerMessage(30, LogLevel.Debug, "Request {RequestId} ({OperationName}): subscription opened at subgraph {Subgraph}")]
    public static partial void Subscribed(this ILogger logger, string requestId, string? operationName, string subgraph);

    [LoggerMessage(31, LogLevel.Information, "Request {RequestId} ({OperationName}): subscription ended ({Reason}) after {Events} events")]
    public static partial void SubscriptionEnded(this ILogger logger, string requestId, string? operationName, string reason, long events);

    [LoggerMessage(32, LogLevel.Warning, "Request {RequestId} ({OperationName}): subscription to subgraph {Subgraph} failed: {Reason}")]
    public static partial void SubscriptionFailed(this ILogger logger, string requestId, string? operationName, string subgraph, string reason);
}
