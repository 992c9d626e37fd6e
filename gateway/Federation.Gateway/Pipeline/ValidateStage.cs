using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using Microsoft.Extensions.Logging;

namespace Federation.Gateway.Pipeline;

/// <summary>
/// Checks the document against the API schema (skipped for a text validated before) and coerces the variable values
/// (always); a document that passes is remembered for the next request with the same text.
/// </summary>
public sealed class ValidateStage(ILogger<ValidateStage> logger) : IRequestStage
{
    /// <summary>Validation errors reported per request.</summary>
    public const int MaxErrors = 100;

    private static readonly GraphQLSerializer Serializer = new();
    private readonly DocumentValidator _validator = new();

    public string Name => "graphql.validate";

    public async ValueTask InvokeAsync(RequestContext context)
    {
        var variables = context.Request.Variables;
        context.Inputs = variables is null ? Inputs.Empty : Serializer.Deserialize<Inputs>(variables.ToJsonString()) ?? Inputs.Empty;
        var validation = await _validator.ValidateAsync(new ValidationOptions
        {
            Schema = context.Schema.Supergraph.Api.Schema,
            Document = context.Document!,
            Operation = context.Operation!,
            Variables = context.Inputs,
            Rules = context.KnownDocument is null ? DocumentValidator.CoreRules : [],
            CancellationToken = context.CancellationToken,
        });
        if (!validation.IsValid)
        {
            var errors = new System.Text.Json.Nodes.JsonArray();
            foreach (var error in validation.Errors.Take(MaxErrors))
            {
                errors.Add(GraphQLErrors.FromValidation(error, error is InvalidVariableError ? "BAD_USER_INPUT" : "GRAPHQL_VALIDATION_FAILED"));
            }

            if (validation.Errors.Count > MaxErrors)
            {
                // 1,000 unknown directives are 1,000 errors: the answer stays small whatever the document.
                errors.Add(GraphQLErrors.Error($"{validation.Errors.Count - MaxErrors} more errors were not reported.", "GRAPHQL_VALIDATION_FAILED"));
            }

            logger.ValidationFailed(context.RequestId, context.OperationName, validation.Errors.Count, validation.Errors[0].Message);
            context.Response = GraphQLErrors.Result(400, errors) with { NotExecuted = true };
            return;
        }

        context.Variables = validation.Variables;
        context.KnownDocument ??= context.Schema.RememberValid(context.Query!, context.Document!);
    }
}
