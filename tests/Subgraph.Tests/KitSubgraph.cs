using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Hosting;
using Federation.Subgraph.Security;
using Federation.Testing.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace Subgraph.Tests;

/// <summary>A subgraph built with the kit alone (no database), served in memory, whose one field reports its caller.</summary>
public sealed class KitSubgraph : IAsyncDisposable
{
    public const string Name = "kit";

    private readonly WebApplication app;

    private KitSubgraph(WebApplication app)
    {
        this.app = app;
        Http = app.GetTestClient();
    }

    public HttpClient Http { get; }

    /// <summary>The SDL as <c>schema print</c> and <c>_service { sdl }</c> give it.</summary>
    public Task<string> PrintSchemaAsync() => SchemaPrinter.PrintAsync(app.Services);

    /// <param name="publicKeysPath">The folder of trusted gateway keys; the test run's key when null.</param>
    public static async Task<KitSubgraph> StartAsync(string? publicKeysPath = null, string? reloadInterval = null)
    {
        var builder = SubgraphApplication.CreateBuilder([], Name);
        builder.WebHost.UseTestServer();
        var settings = new Dictionary<string, string?> { ["InternalTokens:PublicKeysPath"] = publicKeysPath ?? TestInternalTokens.PublicKeysPath };
        if (reloadInterval is not null)
        {
            settings["InternalTokens:KeyReloadInterval"] = reloadInterval;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSubgraphGraphQL(graphql => graphql.FromAssemblyOf<CallerQueries>().AddQueryFields<CallerQueries>());
        var app = builder.Build();
        app.MapSubgraph();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new KitSubgraph(app);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public sealed class CallerQueries : IQueryFields
    {
        public void AddFields(ObjectGraphType query)
        {
            query.Field<NonNullGraphType<StringGraphType>>("caller").Resolve(context =>
            {
                var caller = context.Caller();
                return $"{caller.UserId ?? "anonymous"} signedIn:{caller.IsSignedIn} shopper:{caller.HasScope("shopper")} admin:{caller.HasScope("admin")} user42:{caller.IsUser(42)}";
            });
            query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("recentCallers")
                .Argument<IntGraphType>("first")
                .PageSize()
                .Cost(3)
                .Resolve(_ => Array.Empty<string>());
            query.Field<ShelfType>("shelf").Resolve(_ => "A1");
        }
    }

    /// <summary>A type with cache hints, for the <c>Cache-Control</c> the endpoint answers with.</summary>
    public sealed class ShelfType : ObjectGraphType<string>
    {
        public ShelfType()
        {
            Name = "Shelf";
            this.CacheControl(maxAge: 120);
            Field<NonNullGraphType<StringGraphType>>("label").Resolve(context => context.Source);
            Field<NonNullGraphType<StringGraphType>>("keeper").CacheControl(scope: CacheScope.Private).Resolve(context => context.Caller().UserId ?? "anonymous");
            Field<StringGraphType>("broken").Resolve(object? (_) => throw new ExecutionError("shelf is broken"));
        }
    }
}
