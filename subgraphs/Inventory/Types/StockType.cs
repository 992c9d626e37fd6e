using Federation.Subgraph.GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using Inventory.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Types;

public sealed class StockType : ObjectGraphType<StockItem>
{
    public StockType()
    {
        Name = "Stock";
        Description = "Units of one product in the warehouse. Owned by inventory.";

        // StockChanged invalidates the product's entries; the age bounds what a missed event could leave behind.
        this.CacheControl(maxAge: 60);
        Field<NonNullGraphType<ProductType>>("product").Resolve(ctx => new EntityReference<ProductType> { Id = ctx.Source.ProductId });
        Field(s => s.OnHand).Description("Units in the warehouse, reserved ones included.");
        Field(s => s.Reserved).Description("Units held for orders that are placed but not shipped.");
        Field(s => s.Available).Description("Units that can still be ordered: onHand - reserved.");
        Field<NonNullGraphType<DateTimeGraphType>>("updatedAt").Resolve(ctx => ctx.Source.UpdatedAt.UtcDateTime);
    }
}

/// <summary>Catalog owns Product; inventory adds its stock.</summary>
public sealed class ProductType : EntityReferenceType<ProductType>
{
    public ProductType() : base("Product")
    {
        this.CacheControl(maxAge: 60);
        Field<StockType>("stock")
            .Description("The product's stock; null for a product inventory does not track yet.")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<StockByProductIdDataLoader>().Load(ctx.Source.Id));
    }
}
