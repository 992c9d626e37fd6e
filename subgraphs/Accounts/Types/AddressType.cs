using Accounts.Data;
using Federation.Subgraph.GraphQL;
using GraphQL.Types;

namespace Accounts.Types;

public sealed class AddressType : ObjectGraphType<Address>
{
    public AddressType()
    {
        Name = "Address";
        Description = "A shipping address the signed-in user saved; its fields are those of placeOrder's shipping address.";
        Field(a => a.Id, type: typeof(NonNullGraphType<IdGraphType>));
        this.AddPostalAddressFields();
    }
}

public sealed class AddressInputType() : PostalAddressInputType("AddressInput", "A shipping address to save.");
