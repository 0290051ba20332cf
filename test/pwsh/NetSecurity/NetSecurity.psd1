@{
    # A test double of Microsoft's NetSecurity module (see NetSecurity.psm1 for what it covers and its sources).
    # Named NetSecurity so that '#Requires -Modules NetSecurity' and autoloading find it through PSModulePath.
    RootModule           = 'NetSecurity.psm1'
    ModuleVersion        = '2.0.0'
    GUID                 = '5cb2f1d0-6a54-4c3e-9f1d-3d2c1b0a9e11'
    Author               = 'scomfw tests'
    Description          = 'Test double of the NetSecurity module: firewall rules, their filters and profiles kept in a JSON file.'
    CompatiblePSEditions = @('Core', 'Desktop')
    PowerShellVersion    = '5.1'
    FunctionsToExport    = @(
        'New-NetFirewallRule',
        'Get-NetFirewallRule',
        'Set-NetFirewallRule',
        'Remove-NetFirewallRule',
        'Get-NetFirewallPortFilter',
        'Get-NetFirewallAddressFilter',
        'Get-NetFirewallApplicationFilter',
        'Get-NetFirewallServiceFilter',
        'Get-NetFirewallInterfaceFilter',
        'Get-NetFirewallInterfaceTypeFilter',
        'Get-NetFirewallSecurityFilter',
        'Get-NetFirewallProfile'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
