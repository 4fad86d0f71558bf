using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.CallResult;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// CSMS calls on the device model: SetVariables (intervals take effect at once), GetVariables and
/// GetBaseReport (NotifyReport pages after the reply).
/// </summary>
internal sealed class DeviceModelCalls(DeviceModel device, CsmsLink link, TransactionLifecycle transactions,
    AlignedMeterValues aligned, AfterReply afterReply)
{
    public JsonObject SetVariables(JsonObject request)
    {
        const string path = "SetVariables";
        var data = RequireArray(request, "setVariableData", path);
        if (data.Count == 0) throw new OcppCallErrorException("OccurrenceConstraintViolation", "SetVariables.setVariableData must not be empty");
        var entries = new List<(string? Type, string Value, JsonObject Component, JsonObject Variable)>(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var entryPath = $"{path}.setVariableData[{i}]";
            var entry = Object(data[i], entryPath);
            var value = RequireString(entry, "attributeValue", entryPath);
            if (value.Length > 1000) throw new OcppCallErrorException("PropertyConstraintViolation", $"{entryPath}.attributeValue is longer than 1000 characters");
            var component = RequireObject(entry, "component", entryPath);
            var variable = RequireObject(entry, "variable", entryPath);
            RequireString(component, "name", entryPath + ".component");
            RequireString(variable, "name", entryPath + ".variable");
            entries.Add((OptionalEnum(entry, "attributeType", entryPath, "Actual", "Target", "MinSet", "MaxSet"), value, component, variable));
        }

        var results = new JsonArray();
        foreach (var (type, value, component, variable) in entries)
        {
            var status = device.TrySet(component["name"]!.GetValue<string>(), variable["name"]!.GetValue<string>(),
                OptionalString(variable, "instance", "variable"), type, value);
            var result = new JsonObject { ["attributeStatus"] = status, ["component"] = component.DeepClone(), ["variable"] = variable.DeepClone() };
            if (type is not null) result["attributeType"] = type;
            results.Add((JsonNode)result);
        }
        // The intervals take effect at once.
        link.RearmHeartbeat();
        transactions.RearmSampling();
        aligned.Rearm();
        return new JsonObject { ["setVariableResult"] = results };
    }

    public JsonObject GetVariables(JsonObject request)
    {
        const string path = "GetVariables";
        var data = RequireArray(request, "getVariableData", path);
        if (data.Count == 0) throw new OcppCallErrorException("OccurrenceConstraintViolation", "GetVariables.getVariableData must not be empty");
        var results = new JsonArray();
        var parsed = new List<(string? Type, JsonObject Component, JsonObject Variable)>(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var entryPath = $"{path}.getVariableData[{i}]";
            var entry = Object(data[i], entryPath);
            var component = RequireObject(entry, "component", entryPath);
            var variable = RequireObject(entry, "variable", entryPath);
            RequireString(component, "name", entryPath + ".component");
            RequireString(variable, "name", entryPath + ".variable");
            OptionalString(variable, "instance", entryPath + ".variable");
            parsed.Add((OptionalEnum(entry, "attributeType", entryPath, "Actual", "Target", "MinSet", "MaxSet"), component, variable));
        }
        foreach (var (type, component, variable) in parsed)
        {
            var componentName = component["name"]!.GetValue<string>();
            var v = device.Find(componentName, variable["name"]!.GetValue<string>(), variable["instance"]?.GetValue<string>());
            var status = !device.HasComponent(componentName) ? "UnknownComponent"
                : v is null ? "UnknownVariable"
                : type is not (null or "Actual") ? "NotSupportedAttributeType"
                : v.Mutability == "WriteOnly" ? "Rejected"
                : "Accepted";
            var result = new JsonObject { ["attributeStatus"] = status };
            if (type is not null) result["attributeType"] = type;
            if (status == "Accepted") result["attributeValue"] = v!.Value;
            result["component"] = component.DeepClone();
            result["variable"] = variable.DeepClone();
            results.Add((JsonNode)result);
        }
        return new JsonObject { ["getVariableResult"] = results };
    }

    public JsonObject GetBaseReport(JsonObject request)
    {
        var requestId = RequireInt(request, "requestId", "GetBaseReport");
        var reportBase = RequireEnum(request, "reportBase", "GetBaseReport", "ConfigurationInventory", "FullInventory", "SummaryInventory");
        var variables = reportBase switch
        {
            "ConfigurationInventory" => device.Variables.Where(v => v.Mutability != "ReadOnly").ToList(),
            "SummaryInventory" => device.Variables.Where(v => v.Component == "ChargingStation").ToList(),
            _ => [.. device.Variables],
        };
        afterReply.Add(now =>
        {
            const int perMessage = 20;
            var pages = (variables.Count + perMessage - 1) / perMessage;
            for (var page = 0; page < pages; page++)
                link.Send(new Outgoing("NotifyReport", new JsonObject
                {
                    ["requestId"] = requestId,
                    ["generatedAt"] = Timestamp(now),
                    ["seqNo"] = page,
                    ["tbc"] = page < pages - 1,
                    ["reportData"] = new JsonArray([.. variables.Skip(page * perMessage).Take(perMessage).Select(device.ReportEntry)]),
                }));
        });
        return Status("Accepted");
    }
}
