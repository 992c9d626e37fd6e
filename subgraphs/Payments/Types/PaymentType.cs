using Federation.Subgraph.GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;

namespace Payments.Types;

public sealed class PaymentType : ObjectGraphType<Payment>
{
    public PaymentType()
    {
        Name = "Payment";
        Description = "A charge for an order. Owned by payments.";
        this.Authenticated();
        this.Key("id");
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<OrderType>>("order").Resolve(ctx => new EntityReference<OrderType> { Id = ctx.Source.OrderId });
        Field<NonNullGraphType<FloatGraphType>>("amount")
            .Description("The amount charged, in USD: the order total.")
            .Resolve(ctx => (double)ctx.Source.Amount);
        Field<NonNullGraphType<PaymentStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<PaymentMethodType>>("method").Resolve(ctx => ctx.Source.Method);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt.UtcDateTime);
        this.ResolveReference<Payment>((ctx, reference) =>
            ctx.RequestServices!.GetRequiredService<PaymentByIdDataLoader>().Load(reference.Id));
    }
}

public sealed class PaymentStatusType : EnumerationGraphType<PaymentStatus>
{
    public PaymentStatusType() => Name = "PaymentStatus";
}

public sealed class PaymentMethodType : EnumerationGraphType<PaymentMethod>
{
    public PaymentMethodType() => Name = "PaymentMethod";
}

/// <summary>Orders owns Order; payments adds how it was paid, found by order_id.</summary>
public sealed class OrderType : EntityReferenceType<OrderType>
{
    public OrderType() : base("Order") =>
        Field<PaymentType>("payment").Authenticated()
            .Description("The order's payment; null until payments has charged it.")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<PaymentByOrderIdDataLoader>().Load(ctx.Source.Id));
}
