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
        Field<NonNullGraphType<ProductType>>("product").Resolve(ctx => new ProductReference { Id = ctx.Source.ProductId });
        Field(s => s.OnHand).Description("Units in the warehouse, reserved ones included.");
        Field(s => s.Reserved).Description("Units held for orders that are placed but not shipped.");
        Field(s => s.Available).Description("Units that can still be ordered: onHand - reserved.");
        Field<NonNullGraphType<DateTimeGraphType>>("updatedAt").Resolve(ctx => ctx.Source.UpdatedAt.UtcDateTime);
    }
}

public sealed class ProductReference
{
    public int Id { get; set; }
}

/// <summary>Catalog owns Product; inventory adds its stock.</summary>
public sealed class ProductType : ObjectGraphType<ProductReference>
{
    public ProductType()
    {
        Name = "Product";
        this.Key("id");
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<StockType>("stock")
            .Description("The product's stock; null for a product inventory does not track yet.")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<StockByProductIdDataLoader>().Load(ctx.Source.Id));
        // The key is all inventory needs: stock is loaded only when the stock field is selected.
        this.ResolveReference<ProductReference>((_, reference) => reference);
    }
}
