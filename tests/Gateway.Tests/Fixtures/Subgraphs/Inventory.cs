using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;

namespace Federation.Gateway.Tests.Fixtures.Subgraphs;

/// <summary>What inventory receives in a representation: the key plus the @requires fields.</summary>
public sealed class InventoryProduct
{
    public string Upc { get; set; } = string.Empty;

    public int? Price { get; set; }

    public int? Weight { get; set; }
}

public static class InventoryData
{
    public static readonly HashSet<string> InStock = ["1", "3", "4"];

    public static readonly List<string> Restocked = [];
}

public sealed class InventoryProductType : ObjectGraphType<InventoryProduct>
{
    public InventoryProductType()
    {
        Name = "Product";
        this.Key("upc");
        Field<NonNullGraphType<StringGraphType>>("upc").Resolve(c => c.Source.Upc);
        Field<NonNullGraphType<IntGraphType>>("price").Resolve(c => c.Source.Price).External();
        Field<NonNullGraphType<IntGraphType>>("weight").Resolve(c => c.Source.Weight).External();
        Field<NonNullGraphType<BooleanGraphType>>("inStock").Resolve(c => InventoryData.InStock.Contains(c.Source.Upc));

        // Free above 1000, otherwise half the weight: fails loudly when the gateway forgets the @requires fields.
        Field<IntGraphType>("shippingEstimate")
            .Requires("price weight")
            .Resolve(c => c.Source.Price is null || c.Source.Weight is null
                ? throw new InvalidOperationException("price and weight are required")
                : c.Source.Price > 1000 ? 0 : c.Source.Weight / 2);
        this.ResolveReference<InventoryProduct, InventoryProduct>((_, product) => product);
    }
}

public sealed class InventoryQuery : ObjectGraphType
{
    public InventoryQuery()
    {
        Name = "Query";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("restocked").Resolve(_ =>
        {
            lock (InventoryData.Restocked)
            {
                return InventoryData.Restocked.ToList();
            }
        });
    }
}

public sealed class InventoryMutation : ObjectGraphType
{
    public InventoryMutation()
    {
        Name = "Mutation";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("restock")
            .Argument<NonNullGraphType<StringGraphType>>("upc")
            .Resolve(c =>
            {
                lock (InventoryData.Restocked)
                {
                    InventoryData.Restocked.Add(c.GetArgument<string>("upc"));
                    InventoryData.InStock.Add(c.GetArgument<string>("upc"));
                    return InventoryData.Restocked.ToList();
                }
            });
    }
}

public sealed class InventorySchema : GraphQL.Types.Schema
{
    public InventorySchema(IServiceProvider services)
        : base(services)
    {
        Query = new InventoryQuery();
        Mutation = new InventoryMutation();

        // No root field returns Product here, so the entity must be registered for _entities and the SDL.
        RegisterType(typeof(InventoryProductType));
    }
}
