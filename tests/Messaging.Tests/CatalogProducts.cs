using Federation.Testing.Security;
using Federation.Testing.Subgraphs;

namespace Messaging.Tests;

/// <summary>Products created in a catalog process as an admin would, for the read models downstream to learn.</summary>
internal static class CatalogProducts
{
    /// <summary>Creates a product in category 1 and returns its id; fails the test on any error.</summary>
    public static async Task<string> CreateAsync(SubgraphProcess catalog, string name, decimal price)
    {
        var response = await catalog.QueryAsync(
            TestCaller.Admin,
            "mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id } errors { code } } }",
            new { input = new { name, description = "Created by the messaging tests.", price, categoryId = "1" } });
        Assert.Empty(response["data"]!["createProduct"]!["errors"]!.AsArray());
        return response["data"]!["createProduct"]!["product"]!["id"]!.GetValue<string>();
    }
}
