using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Orders.Data;
using Orders.Domain;

namespace Orders.Types;

public sealed class OrderType : ObjectGraphType<Order>
{
    public OrderType()
    {
        Name = "Order";
        Description = "A customer's order. Owned by orders; payments extends it by id.";
        this.Authenticated();
        this.Key("id");
        Field(o => o.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<UserType>>("user").Resolve(ctx => new EntityReference<UserType> { Id = ctx.Source.UserId });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrderLineType>>>>("lines")
            .ListSize(assumedSize: PlaceOrderRequest.MaxLines)
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<OrderLinesByOrderIdDataLoader>().Load(ctx.Source.Id));
        Field<NonNullGraphType<OrderStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<FloatGraphType>>("subtotal")
            .Description("Sum of quantity x unit price over the lines, in USD.")
            .Resolve(ctx => (double)ctx.Source.Subtotal);
        Field<NonNullGraphType<FloatGraphType>>("shippingCost").Description("In USD.").Resolve(ctx => (double)ctx.Source.ShippingCost);
        Field<NonNullGraphType<FloatGraphType>>("tax").Description("In USD, on subtotal and shipping at the destination's rate.").Resolve(ctx => (double)ctx.Source.Tax);
        Field<NonNullGraphType<FloatGraphType>>("total")
            .Description("Subtotal + shipping + tax, in USD: what payments charges.")
            .Resolve(ctx => (double)ctx.Source.Total);
        Field<ShippingMethodType>("shippingMethod").Description("Null only for orders placed before checkout had steps.").Resolve(ctx => ctx.Source.ShippingMethod);
        Field<ShippingAddressType>("shippingAddress").Description("Null only for orders placed before checkout had steps.").Resolve(ctx => ctx.Source.ShippingAddress);
        Field<PaymentCardType>("paymentCard").Description("Null only for orders placed before checkout had steps.").Resolve(ctx => ctx.Source.CardLast4 is null ? null : ctx.Source);
        Field<StringGraphType>("rejectionReason")
            .Description("Why the order was rejected (stock could not be held, or the card was declined); null unless status is REJECTED.")
            .Resolve(ctx => ctx.Source.RejectionReason);
        Field<NonNullGraphType<DateTimeGraphType>>("placedAt").Resolve(ctx => ctx.Source.PlacedAt.UtcDateTime);
        this.ResolveReference<Order>((ctx, reference) =>
            ctx.Owned(ctx.RequestServices!.GetRequiredService<OrderByIdDataLoader>().Load(reference.Id), o => o.UserId));
    }
}

public sealed class OrderLineType : ObjectGraphType<OrderLine>
{
    public OrderLineType()
    {
        Name = "OrderLine";
        Field<ProductType>("product")
            .Description("The product ordered, from catalog; null when catalog cannot answer now (the line itself stays).")
            .Resolve(ctx => new EntityReference<ProductType> { Id = ctx.Source.ProductId });
        Field(l => l.Quantity);
        Field<NonNullGraphType<FloatGraphType>>("unitPrice")
            .Description("The price when the order was placed, in USD.")
            .Resolve(ctx => (double)ctx.Source.UnitPrice);
    }
}

public sealed class OrderStatusType : EnumerationGraphType<OrderStatus>
{
    public OrderStatusType() => Name = "OrderStatus";
}

/// <summary>Catalog owns Product; orders only points at it, so the gateway never asks orders to resolve one.</summary>
public sealed class ProductType() : EntityReferenceType<ProductType>("Product", resolvable: false);
