namespace BmwWallbox.SimulatedBox;

/// <summary>How the box handles 1-phase/3-phase switching during a transaction.</summary>
public enum PhaseSwitchingBehaviour
{
    /// <summary>As the BMW box: no <c>SmartChargingCtrlr.Phases3to1</c> in the device model; a profile's numberPhases is ignored.</summary>
    None,
    /// <summary>Reports <c>Phases3to1</c> true and honours numberPhases: the car draws on that many phases.</summary>
    Switches,
    /// <summary>Reports <c>Phases3to1</c> true but rejects every profile that carries numberPhases.</summary>
    Refuses,
}
