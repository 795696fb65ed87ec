using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Rpc.Generators.Contracts;

/// <summary>Where in the code a change belongs: a service interface or message type, and optionally one of its members.</summary>
internal sealed record ChangeTarget(string? TypeName, string? MemberName = null, string? ParameterName = null, bool IsMethod = false, int ParameterCount = -1);

/// <summary>One difference between the lock and the current contract, and how it is reported.</summary>
internal sealed record ContractChange(DiagnosticDescriptor Descriptor, ChangeTarget Target, params string[] Args);

/// <summary>
/// Compares the current contract with the locked one: changes that break existing peers (docs/contracts.md lists
/// them) and compatible changes the lock does not record yet.
/// </summary>
internal static class ContractComparer
{
    public static List<ContractChange> Compare(ContractModel locked, ContractModel current)
    {
        var changes = new List<ContractChange>();
        foreach (ServiceModel lockedService in locked.Services)
        {
            ServiceModel? service = current.Services.FirstOrDefault(s => s.Name == lockedService.Name);
            if (service is null)
            {
                foreach (MethodModel method in lockedService.Methods)
                {
                    changes.Add(new ContractChange(ContractLockDiagnostics.MethodRemoved, new ChangeTarget(lockedService.Interface), $"{lockedService.Name}/{method.Signature}"));
                }
                continue;
            }
            CompareMethods(lockedService, service, changes);
        }
        foreach (ServiceModel service in current.Services.Where(s => locked.Services.All(l => l.Name != s.Name)))
        {
            changes.Add(new ContractChange(ContractLockDiagnostics.NotInLock, new ChangeTarget(service.Interface), "The service " + service.Name));
        }
        foreach (TypeModel lockedType in locked.Types.Values)
        {
            if (current.Types.TryGetValue(lockedType.Name, out TypeModel? type))
            {
                CompareType(lockedType, type, changes);
            }
        }
        return changes;
    }

    private static void CompareMethods(ServiceModel lockedService, ServiceModel service, List<ContractChange> changes)
    {
        var matched = new HashSet<MethodModel>();
        foreach (MethodModel lockedMethod in lockedService.Methods)
        {
            string fullName = $"{service.Name}/{lockedMethod.Name}";
            MethodModel? method = service.Methods.FirstOrDefault(m => m.Id == lockedMethod.Id && m.Name == lockedMethod.Name);
            if (method is not null)
            {
                matched.Add(method);
                CompareSignature(service, lockedMethod, method, fullName, changes);
                continue;
            }
            // Not under its old id: the same name, not matched to another locked method, is the same method changed.
            List<MethodModel> candidates = service.Methods
                .Where(m => m.Name == lockedMethod.Name && !matched.Contains(m) && lockedService.Methods.All(l => l.Id != m.Id))
                .ToList();
            if (candidates.Count == 1)
            {
                method = candidates[0];
                matched.Add(method);
                int before = changes.Count;
                CompareSignature(service, lockedMethod, method, fullName, changes);
                if (changes.Count == before)
                {
                    changes.Add(new ContractChange(ContractLockDiagnostics.MethodIdMoved, MethodTarget(service, method),
                        fullName, lockedMethod.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), method.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
                continue;
            }
            changes.Add(new ContractChange(ContractLockDiagnostics.MethodRemoved, new ChangeTarget(service.Interface), $"{service.Name}/{lockedMethod.Signature}"));
        }
        foreach (MethodModel method in service.Methods.Where(m => !matched.Contains(m)))
        {
            changes.Add(new ContractChange(ContractLockDiagnostics.NotInLock, MethodTarget(service, method), $"The method {service.Name}/{method.Signature}"));
        }
    }

    private static void CompareSignature(ServiceModel service, MethodModel locked, MethodModel method, string fullName, List<ContractChange> changes)
    {
        ChangeTarget at = MethodTarget(service, method);
        if (locked.Kind != method.Kind)
        {
            changes.Add(new ContractChange(ContractLockDiagnostics.MethodChanged, at, fullName, $"it was {locked.Kind} and is now {method.Kind}"));
        }
        if (locked.Parameters.Count != method.Parameters.Count)
        {
            changes.Add(new ContractChange(ContractLockDiagnostics.MethodChanged, at, fullName,
                $"it took {locked.Parameters.Count} serialized parameters ({string.Join(", ", locked.Parameters.Select(p => p.Type))}) and now takes {method.Parameters.Count}"));
        }
        else
        {
            for (int i = 0; i < locked.Parameters.Count; i++)
            {
                if (locked.Parameters[i].Type != method.Parameters[i].Type)
                {
                    changes.Add(new ContractChange(ContractLockDiagnostics.MethodChanged, at with { ParameterName = method.Parameters[i].Name }, fullName,
                        $"parameter '{method.Parameters[i].Name}' was {locked.Parameters[i].Type} and is now {method.Parameters[i].Type}"));
                }
            }
        }
        if (locked.RequestStream != method.RequestStream)
        {
            changes.Add(new ContractChange(ContractLockDiagnostics.MethodChanged, at, fullName, $"its request stream was {locked.RequestStream ?? "none"} and is now {method.RequestStream ?? "none"}"));
        }
        if (locked.Result != method.Result)
        {
            changes.Add(new ContractChange(ContractLockDiagnostics.MethodChanged, at, fullName, $"its result was {locked.Result ?? "none"} and is now {method.Result ?? "none"}"));
        }
    }

    private static ChangeTarget MethodTarget(ServiceModel service, MethodModel method) =>
        new(service.Interface, method.Name, IsMethod: true, ParameterCount: method.Parameters.Count);

    private static void CompareType(TypeModel locked, TypeModel type, List<ContractChange> changes)
    {
        var at = new ChangeTarget(type.Name);
        if (locked.Kind != type.Kind)
        {
            changes.Add(new ContractChange(ContractLockDiagnostics.LayoutChanged, at, type.Name, $"it was {locked.Kind} and is now {type.Kind}"));
            return;
        }
        switch (type.Kind)
        {
            case "union":
                foreach (UnionCaseModel lockedCase in locked.Cases)
                {
                    UnionCaseModel? unionCase = type.Cases.FirstOrDefault(c => c.Tag == lockedCase.Tag);
                    if (unionCase is null)
                    {
                        UnionCaseModel? moved = type.Cases.FirstOrDefault(c => c.Type == lockedCase.Type);
                        changes.Add(new ContractChange(ContractLockDiagnostics.UnionCaseChanged, at, type.Name, moved is null
                            ? $"the case {lockedCase.Type} (tag {lockedCase.Tag}) was removed"
                            : $"the case {lockedCase.Type} moved from tag {lockedCase.Tag} to tag {moved.Tag}"));
                    }
                    else if (unionCase.Type != lockedCase.Type)
                    {
                        changes.Add(new ContractChange(ContractLockDiagnostics.UnionCaseChanged, at, type.Name, $"tag {lockedCase.Tag} was {lockedCase.Type} and is now {unionCase.Type}"));
                    }
                }
                foreach (UnionCaseModel unionCase in type.Cases.Where(c => locked.Cases.All(l => l.Tag != c.Tag) && locked.Cases.All(l => l.Type != c.Type)))
                {
                    changes.Add(new ContractChange(ContractLockDiagnostics.NotInLock, at, $"The case {unionCase.Type} (tag {unionCase.Tag}) of {type.Name}"));
                }
                return;
            case "enum":
                if (locked.Underlying != type.Underlying)
                {
                    changes.Add(new ContractChange(ContractLockDiagnostics.LayoutChanged, at, type.Name, $"its underlying type was {locked.Underlying} and is now {type.Underlying}"));
                }
                return;
            default:
                CompareMembers(locked, type, at, tolerant: type.Kind == "versionTolerant", changes);
                return;
        }
    }

    private static void CompareMembers(TypeModel locked, TypeModel type, ChangeTarget at, bool tolerant, List<ContractChange> changes)
    {
        foreach (MemberModel lockedMember in locked.Members)
        {
            MemberModel? member = type.Members.FirstOrDefault(m => m.Slot == lockedMember.Slot);
            MemberModel? sameName = type.Members.FirstOrDefault(m => m.Name == lockedMember.Name);
            if (sameName is not null && sameName.Slot != lockedMember.Slot)
            {
                changes.Add(new ContractChange(ContractLockDiagnostics.LayoutChanged, at with { MemberName = sameName.Name }, type.Name,
                    $"the member {sameName.Name} moved from slot {lockedMember.Slot} to slot {sameName.Slot} (members were reordered)"));
            }
            else if (member is null)
            {
                changes.Add(tolerant
                    ? new ContractChange(ContractLockDiagnostics.NotInLock, at, $"The removal of {type.Name}.{lockedMember.Name} (slot {lockedMember.Slot})")
                    : new ContractChange(ContractLockDiagnostics.LayoutChanged, at, type.Name, $"the member {lockedMember.Name} (slot {lockedMember.Slot}) was removed"));
            }
            else if (member.Type != lockedMember.Type)
            {
                changes.Add(new ContractChange(ContractLockDiagnostics.LayoutChanged, at with { MemberName = member.Name }, type.Name,
                    $"the member {member.Name} (slot {member.Slot}) was {lockedMember.Type} and is now {member.Type}"));
            }
        }
        foreach (MemberModel member in type.Members.Where(m => locked.Members.All(l => l.Slot != m.Slot) && locked.Members.All(l => l.Name != m.Name)))
        {
            changes.Add(tolerant
                ? new ContractChange(ContractLockDiagnostics.NotInLock, at with { MemberName = member.Name }, $"The member {type.Name}.{member.Name} (slot {member.Slot})")
                : new ContractChange(ContractLockDiagnostics.LayoutChanged, at with { MemberName = member.Name }, type.Name,
                    $"the member {member.Name} was added at slot {member.Slot}, but peers with the old layout reject payloads with more members; mark the type [RpcMessage(GenerateType.VersionTolerant)] to let it grow"));
        }
    }
}
