using System.Globalization;
using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>The box's OCPP device model, as a real BMW box reports it (values are strings on the wire).</summary>
internal sealed class DeviceModel
{
    public const string EnergyMeasurand = "Energy.Active.Import.Register";
    private static readonly string[] Measurands = [EnergyMeasurand, "Power.Active.Import", "Current.Import", "Voltage"];
    private static readonly string[] TxPoints = ["ParkingBayOccupancy", "EVConnected", "Authorized", "DataSigned", "PowerPathClosed", "EnergyTransfer"];

    internal sealed class Variable(string component, string name, string? instance, string value, string mutability, string dataType)
    {
        public string Component { get; } = component;
        public string Name { get; } = name;
        public string? Instance { get; } = instance;
        public string Value { get; set; } = value;
        /// <summary>ReadOnly, ReadWrite or WriteOnly.</summary>
        public string Mutability { get; } = mutability;
        /// <summary>integer, boolean, string, MemberList, OptionList, decimal.</summary>
        public string DataType { get; } = dataType;
        public string[]? Allowed { get; init; }
    }

    private readonly List<Variable> _variables;

    public DeviceModel(SimulatedBoxOptions o)
    {
        Variable V(string c, string n, string v, string m = "ReadOnly", string t = "string", string? i = null) => new(c, n, i, v, m, t);
        const string rw = "ReadWrite";
        _variables =
        [
            V("ChargingStation", "AvailabilityState", "Available", t: "OptionList"),
            V("ChargingStation", "Model", o.Model),
            V("ChargingStation", "VendorName", o.VendorName),
            V("ChargingStation", "SupplyPhases", o.Phases.ToString(CultureInfo.InvariantCulture), t: "integer"),
            V("OCPPCommCtrlr", "HeartbeatInterval", "10", rw, "integer"),
            V("OCPPCommCtrlr", "MessageTimeout", "30", rw, "integer", "Default"),
            V("OCPPCommCtrlr", "WebSocketPingInterval", "300", rw, "integer"),
            V("OCPPCommCtrlr", "QueueAllMessages", "true", t: "boolean"),
            V("OCPPCommCtrlr", "MessageAttempts", "3", rw, "integer", "TransactionEvent"),
            V("OCPPCommCtrlr", "MessageAttemptInterval", "60", rw, "integer", "TransactionEvent"),
            V("TxCtrlr", "StopTxOnEVSideDisconnect", "true", t: "boolean"),
            new("TxCtrlr", "TxStartPoint", null, "EVConnected,Authorized,EnergyTransfer", rw, "MemberList") { Allowed = TxPoints },
            new("TxCtrlr", "TxStopPoint", null, "PowerPathClosed", rw, "MemberList") { Allowed = TxPoints },
            V("TxCtrlr", "EVConnectionTimeOut", "60", rw, "integer"),
            V("TxCtrlr", "StopTxOnInvalidId", "true", rw, "boolean"),
            V("SampledDataCtrlr", "Enabled", "true", rw, "boolean"),
            V("SampledDataCtrlr", "TxUpdatedInterval", "0", rw, "integer"),
            new("SampledDataCtrlr", "TxUpdatedMeasurands", null, EnergyMeasurand, rw, "MemberList") { Allowed = Measurands },
            new("SampledDataCtrlr", "TxStartedMeasurands", null, EnergyMeasurand, rw, "MemberList") { Allowed = Measurands },
            new("SampledDataCtrlr", "TxEndedMeasurands", null, EnergyMeasurand, rw, "MemberList") { Allowed = Measurands },
            V("SampledDataCtrlr", "TxEndedInterval", "0", rw, "integer"),
            V("AlignedDataCtrlr", "Enabled", "true", rw, "boolean"),
            V("AlignedDataCtrlr", "Interval", "0", rw, "integer"),
            new("AlignedDataCtrlr", "Measurands", null, string.Join(',', Measurands), rw, "MemberList") { Allowed = Measurands },
            V("SmartChargingCtrlr", "Enabled", "true", t: "boolean"),
            V("SmartChargingCtrlr", "RateUnit", "A,W", t: "MemberList"),
            V("SmartChargingCtrlr", "ProfileStackLevel", ChargingProfileParser.MaxStackLevel.ToString(CultureInfo.InvariantCulture), t: "integer"),
            V("SmartChargingCtrlr", "PeriodsPerSchedule", ChargingProfileParser.MaxPeriods.ToString(CultureInfo.InvariantCulture), t: "integer"),
            V("SmartChargingCtrlr", "Entries", "15", t: "integer", i: "ChargingProfiles"),
            V("SmartChargingCtrlr", "ACPhaseSwitchingSupported", "false", t: "boolean"),
            V("SmartChargingCtrlr", "LimitChangeSignificance", "1.0", rw, "decimal"),
            .. o.PhaseSwitching == PhaseSwitchingBehaviour.None ? Array.Empty<Variable>() : [V("SmartChargingCtrlr", "Phases3to1", "true", t: "boolean")],
            V("AuthCtrlr", "Enabled", o.AuthorizationEnabled ? "true" : "false", rw, "boolean"),
            V("AuthCtrlr", "AuthorizeRemoteStart", "false", rw, "boolean"),
            V("SecurityCtrlr", "SecurityProfile", "2", t: "integer"),
            V("SecurityCtrlr", "Identity", o.StationId),
            V("SecurityCtrlr", "OrganizationName", o.VendorName, rw),
            V("DeviceDataCtrlr", "ItemsPerMessage", "20", t: "integer", i: "GetReport"),
            V("DeviceDataCtrlr", "ItemsPerMessage", "20", t: "integer", i: "GetVariables"),
            V("DeviceDataCtrlr", "ItemsPerMessage", "20", t: "integer", i: "SetVariables"),
        ];
    }

    public IReadOnlyList<Variable> Variables => _variables;

    public int HeartbeatIntervalSeconds => Int("OCPPCommCtrlr", "HeartbeatInterval");
    public int TxUpdatedIntervalSeconds => Int("SampledDataCtrlr", "TxUpdatedInterval");
    public int AlignedIntervalSeconds => Int("AlignedDataCtrlr", "Interval");
    public string[] TxUpdatedMeasurands => Members("SampledDataCtrlr", "TxUpdatedMeasurands");
    public string[] TxStartedMeasurands => Members("SampledDataCtrlr", "TxStartedMeasurands");
    public string[] TxEndedMeasurands => Members("SampledDataCtrlr", "TxEndedMeasurands");
    public string[] AlignedMeasurands => Members("AlignedDataCtrlr", "Measurands");
    /// <summary>AuthCtrlr.Enabled: a session must be authorized before energy flows (otherwise every plugged-in car may charge).</summary>
    public bool AuthorizationEnabled => Eq(Find("AuthCtrlr", "Enabled", null)!.Value, "true");

    /// <summary>Internal update that ignores mutability (the box's own state, or the Boot response's interval).</summary>
    public void SetInternal(string component, string name, string value) => Find(component, name, null)!.Value = value;

    public Variable? Find(string component, string name, string? instance) =>
        _variables.Find(v => Eq(v.Component, component) && Eq(v.Name, name) && Eq(v.Instance, instance));

    public bool HasComponent(string component) => _variables.Exists(v => Eq(v.Component, component));

    /// <summary>SetVariables for one entry; returns the OCPP SetVariableStatus.</summary>
    public string TrySet(string component, string name, string? instance, string? attributeType, string value)
    {
        if (!HasComponent(component)) return "UnknownComponent";
        var v = Find(component, name, instance);
        if (v is null) return "UnknownVariable";
        if (attributeType is not (null or "Actual")) return "NotSupportedAttributeType";
        if (v.Mutability == "ReadOnly") return "Rejected";
        if (!IsValid(v, value)) return "Rejected";
        v.Value = value;
        return "Accepted";
    }

    public JsonObject ReportEntry(Variable v)
    {
        var attribute = new JsonObject { ["type"] = "Actual", ["mutability"] = v.Mutability };
        if (v.Mutability != "WriteOnly") attribute["value"] = v.Value;
        var characteristics = new JsonObject { ["dataType"] = v.DataType, ["supportsMonitoring"] = false };
        if (v.Allowed is not null) characteristics["valuesList"] = string.Join(',', v.Allowed);
        return new JsonObject
        {
            ["component"] = new JsonObject { ["name"] = v.Component },
            ["variable"] = v.Instance is null
                ? new JsonObject { ["name"] = v.Name }
                : new JsonObject { ["name"] = v.Name, ["instance"] = v.Instance },
            ["variableAttribute"] = new JsonArray(attribute),
            ["variableCharacteristics"] = characteristics,
        };
    }

    private static bool IsValid(Variable v, string value) => v.DataType switch
    {
        "integer" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
        "decimal" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0,
        "boolean" => value is "true" or "false",
        "MemberList" => value.Length > 0 && value.Split(',').All(m => v.Allowed is null || v.Allowed.Contains(m.Trim())),
        _ => value.Length <= 1000,
    };

    private int Int(string component, string name) =>
        int.Parse(Find(component, name, null)!.Value, CultureInfo.InvariantCulture);

    private string[] Members(string component, string name) =>
        Find(component, name, null)!.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static bool Eq(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
