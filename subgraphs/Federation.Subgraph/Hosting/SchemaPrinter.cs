using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Subgraph.Hosting;

/// <summary>
/// Prints the SDL exactly as the running subgraph answers <c>_service { sdl }</c>, so composition sees
/// what a gateway would see, without starting the server or touching the database.
/// </summary>
public static class SchemaPrinter
{
    public static async Task<string> PrintAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var executer = scope.ServiceProvider.GetRequiredService<IDocumentExecuter>();
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = scope.ServiceProvider.GetRequiredService<ISchema>(),
            Query = "{ _service { sdl } }",
            RequestServices = scope.ServiceProvider,
        });
        if (result.Errors is { Count: > 0 } errors)
            throw new InvalidOperationException("The schema could not be printed: " + string.Join("; ", errors.Select(e => e.Message)));

        var json = scope.ServiceProvider.GetRequiredService<IGraphQLTextSerializer>().Serialize(result);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var sdl = document.RootElement.GetProperty("data").GetProperty("_service").GetProperty("sdl").GetString()!;
        return sdl.EndsWith('\n') ? sdl : sdl + "\n";
    }
}
