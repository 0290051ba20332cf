<#
A test double of Microsoft's NetSecurity module, so that the scripts scomfw writes for Windows (and the audit's
Windows exporter) run under PowerShell 7 on Linux against a firewall kept in a JSON file.

What it copies from Windows, and from where:
- Parameter names, aliases, positions, parameter sets, types and accepted values, from Microsoft's reference pages
  (MicrosoftDocs/windows-powershell-docs, docset/winserver2019-ps and winserver2025-ps/NetSecurity; 2019 lists
  -GPOSession on every rule cmdlet, 2025 adds -RemoteDynamicKeywordAddresses):
    https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule
    https://learn.microsoft.com/powershell/module/netsecurity/set-netfirewallrule
    https://learn.microsoft.com/powershell/module/netsecurity/remove-netfirewallrule
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallportfilter
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewalladdressfilter
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallapplicationfilter
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallservicefilter
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallinterfacefilter
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallinterfacetypefilter
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallsecurityfilter
    https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewallprofile
- Enumerations are real .NET enums named as the CDXML module names them
  (Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile, ...), so a wrong value fails in parameter
  binding with Windows' own message, and [string[]]@('Domain','Private') binds to the flags enum Profile as on Windows.
- The module is a script module like the CDXML one: a caller's $ErrorActionPreference and $WhatIfPreference do not
  reach it; only -ErrorAction and -WhatIf passed to the cmdlet do.
- Not found: Get/Set/Remove by a -Name (or -DisplayName, -Group, ...) value without wildcards that matches nothing
  write the non-terminating error "No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to 'x'."
  (category ObjectNotFound), which -ErrorAction Stop turns terminating and SilentlyContinue hides.
- New-NetFirewallRule with a -Name the store already has fails with "Cannot create a file when that file already
  exists." (Windows system error 183), as Windows does.
- Returned objects carry the type names of the CIM classes (MSFT_NetFirewallRule, MSFT_NetProtocolPortFilter, ...),
  and the filter cmdlets take rules from the pipeline through [PSTypeName] parameters as the CDXML ones do.
- IPv4 subnets are kept as address/mask (10.0.0.0/24 reads back 10.0.0.0/255.255.255.0), as Windows shows them.

What it adds for tests, and what it does not do:
- $env:NETSECURITY_DOUBLE_STORE names the JSON file: {"stores": {"PersistentStore": {"rules": [...], "profiles":
  {...}}, "contoso.com\GPO": {...}}}. A GPO store must be listed there (as an existing GPO must exist); ActiveStore
  and RSOP are read-only merged views; SystemDefaults and StaticServiceStore are empty and read-only.
- $env:NETSECURITY_DOUBLE_LOG, when set, names a file that gets one JSON line per cmdlet call: the cmdlet, the
  store it used and the parameters bound, so a test can see which store every call reached.
- -CimSession, -AsJob and -GPOSession (Open-NetGPO sessions) are refused rather than ignored.
- Error messages for invalid values (ports, addresses, protocol) are the double's wording; Windows reports most
  of them as "The parameter is incorrect."
#>

Set-StrictMode -Version 3.0

$script:EnumNamespace = 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity'
$script:CimPrefix = 'Microsoft.Management.Infrastructure.CimInstance'

# Accepted values as the reference pages list them; the numbers are the double's.
$script:EnumDefinitions = [ordered]@{
    Profile          = @{ Flags = $true; Values = [ordered]@{ Any = 0; Domain = 1; Private = 2; Public = 4; NotApplicable = 65535 } }
    Enabled          = @{ Flags = $false; Values = [ordered]@{ True = 1; False = 2 } }
    Direction        = @{ Flags = $false; Values = [ordered]@{ Inbound = 1; Outbound = 2 } }
    Action           = @{ Flags = $false; Values = [ordered]@{ NotConfigured = 0; Allow = 2; Block = 4 } }
    EdgeTraversal    = @{ Flags = $false; Values = [ordered]@{ Block = 0; Allow = 1; DeferToUser = 2; DeferToApp = 3 } }
    InterfaceType    = @{ Flags = $true; Values = [ordered]@{ Any = 0; Wired = 1; Wireless = 2; RemoteAccess = 4 } }
    Authentication   = @{ Flags = $false; Values = [ordered]@{ NotRequired = 0; Required = 1; NoEncap = 2 } }
    Encryption       = @{ Flags = $false; Values = [ordered]@{ NotRequired = 0; Required = 1; Dynamic = 2 } }
    DynamicTransport = @{ Flags = $false; Values = [ordered]@{ Any = 0; ProximityApps = 1; ProximitySharing = 2; WifiDirectPrinting = 3; WifiDirectDisplay = 4; WifiDirectDevices = 5 } }
    PrimaryStatus    = @{ Flags = $false; Values = [ordered]@{ Unknown = 0; OK = 1; Inactive = 2; Error = 3 } }
    PolicyStoreType  = @{ Flags = $false; Values = [ordered]@{ None = 0; Local = 1; GroupPolicy = 2; Dynamic = 3; Generated = 4; Hardcoded = 5 } }
    GpoBoolean       = @{ Flags = $false; Values = [ordered]@{ False = 0; True = 1; NotConfigured = 2 } }
}

# Reflection.Emit, not Add-Type: the C# compiler takes seconds to start, this takes milliseconds.
function Initialize-NetSecurityEnums {
    if ("$script:EnumNamespace.Profile" -as [type]) { return }
    $name = [System.Reflection.AssemblyName]::new('NetSecurityDouble.GeneratedTypes')
    $assembly = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly($name, [System.Reflection.Emit.AssemblyBuilderAccess]::Run)
    $module = $assembly.DefineDynamicModule('NetSecurityDouble.GeneratedTypes')
    $flags = [System.Reflection.Emit.CustomAttributeBuilder]::new([System.FlagsAttribute].GetConstructor([type[]]@()), @())
    foreach ($enum in $script:EnumDefinitions.GetEnumerator()) {
        $builder = $module.DefineEnum("$script:EnumNamespace.$($enum.Key)", 'Public', [uint16])
        if ($enum.Value.Flags) { $builder.SetCustomAttribute($flags) }
        foreach ($literal in $enum.Value.Values.GetEnumerator()) { [void]$builder.DefineLiteral($literal.Key, [uint16]$literal.Value) }
        [void]$builder.CreateType()
    }
}
Initialize-NetSecurityEnums

function ConvertTo-NetSecurityEnum([string]$Enum, $Value) {
    return ($Value -as ("$script:EnumNamespace.$Enum" -as [type]))
}

# ---------------------------------------------------------------------------------------------------------------
# The store file

$script:ReadOnlyStores = @('ActiveStore', 'RSOP', 'SystemDefaults', 'StaticServiceStore')
$script:LocalStores = @('PersistentStore', 'ConfigurableServiceStore')

# Every setting of a rule, with Windows' value when New-NetFirewallRule is not given one.
$script:RuleDefaults = [ordered]@{
    Name                          = $null
    DisplayName                   = $null
    Description                   = $null
    Group                         = $null
    Enabled                       = 'True'
    Profile                       = 'Any'
    Platform                      = @()
    Direction                     = 'Inbound'
    Action                        = 'Allow'
    EdgeTraversalPolicy           = 'Block'
    LooseSourceMapping            = $false
    LocalOnlyMapping              = $false
    Owner                         = $null
    LocalAddress                  = @('Any')
    RemoteAddress                 = @('Any')
    Protocol                      = 'Any'
    LocalPort                     = @('Any')
    RemotePort                    = @('Any')
    IcmpType                      = @('Any')
    DynamicTarget                 = 'Any'
    Program                       = 'Any'
    Package                       = $null
    Service                       = 'Any'
    InterfaceAlias                = @('Any')
    InterfaceType                 = 'Any'
    LocalUser                     = 'Any'
    RemoteUser                    = 'Any'
    RemoteMachine                 = 'Any'
    Authentication                = 'NotRequired'
    Encryption                    = 'NotRequired'
    OverrideBlockRules            = $false
    RemoteDynamicKeywordAddresses = @()
}
$script:ListSettings = @('Platform', 'LocalAddress', 'RemoteAddress', 'LocalPort', 'RemotePort', 'IcmpType', 'InterfaceAlias', 'RemoteDynamicKeywordAddresses')

$script:ProfileDefaults = [ordered]@{
    Enabled                         = 'True'
    DefaultInboundAction            = 'NotConfigured'
    DefaultOutboundAction           = 'NotConfigured'
    AllowInboundRules               = 'NotConfigured'
    AllowLocalFirewallRules         = 'NotConfigured'
    AllowLocalIPsecRules            = 'NotConfigured'
    AllowUserApps                   = 'NotConfigured'
    AllowUserPorts                  = 'NotConfigured'
    AllowUnicastResponseToMulticast = 'NotConfigured'
    NotifyOnListen                  = 'False'
    EnableStealthModeForIPsec       = 'NotConfigured'
    LogFileName                     = '%systemroot%\system32\LogFiles\Firewall\pfirewall.log'
    LogMaxSizeKilobytes             = 4096
    LogAllowed                      = 'False'
    LogBlocked                      = 'False'
    LogIgnored                      = 'NotConfigured'
    DisabledInterfaceAliases        = @('NotConfigured')
}
$script:ProfileNames = @('Domain', 'Private', 'Public')

function Get-StatePath {
    $path = $env:NETSECURITY_DOUBLE_STORE
    if ([string]::IsNullOrEmpty($path)) {
        throw [System.InvalidOperationException]::new('NetSecurity test double: set $env:NETSECURITY_DOUBLE_STORE to the JSON file that holds the policy stores.')
    }
    return $path
}

# The last state read, for the Get cmdlets while the file is unchanged (a script calls Get once per rule). A call
# that changes the store always reads the file afresh, so a failure halfway never leaves a changed copy here.
$script:Cache = $null

function Get-FileStamp([string]$Path) {
    $item = Get-Item -LiteralPath $Path -ErrorAction Ignore
    if ($null -eq $item) { return 'absent' }
    return "$($item.LastWriteTimeUtc.Ticks)/$($item.Length)"
}

function Read-State([switch]$ForChange) {
    $path = Get-StatePath
    $stamp = Get-FileStamp $path
    if (-not $ForChange -and $null -ne $script:Cache -and $script:Cache.Path -eq $path -and $script:Cache.Stamp -eq $stamp) { return $script:Cache.State }
    $script:Cache = $null
    $state = Read-StateFile $path
    if (-not $ForChange) { $script:Cache = @{ Path = $path; Stamp = $stamp; State = $state } }
    return $state
}

function Read-StateFile([string]$path) {
    $stores = [ordered]@{}
    $json = $null
    if (Test-Path -LiteralPath $path) {
        $json = [System.IO.File]::ReadAllText($path) | ConvertFrom-Json -AsHashtable
        foreach ($entry in $json['stores'].GetEnumerator()) {
            $rules = [System.Collections.Generic.List[object]]::new()
            foreach ($rule in @($entry.Value['rules'])) { if ($null -ne $rule) { $rules.Add((ConvertTo-RuleRecord $rule)) } }
            $profiles = $entry.Value['profiles']
            if ($null -eq $profiles) { $profiles = @{} }
            $stores[$entry.Key] = @{ rules = $rules; profiles = $profiles }
        }
    }
    if (-not $stores.Contains('PersistentStore')) { $stores['PersistentStore'] = @{ rules = [System.Collections.Generic.List[object]]::new(); profiles = @{} } }
    # Other top-level keys (the NetConnection double's "connections") are kept as they are.
    $other = [ordered]@{}
    if ($null -ne $json) { foreach ($key in @($json.Keys | Where-Object { $_ -ne 'stores' } | Sort-Object)) { $other[$key] = $json[$key] } }
    return @{ stores = $stores; other = $other }
}

function Write-State($State) {
    $stores = [ordered]@{}
    foreach ($key in @($State.stores.Keys | Sort-Object)) {
        $store = $State.stores[$key]
        $rules = [System.Collections.Generic.List[object]]::new()
        foreach ($rule in $store.rules) { $rules.Add((ConvertTo-RuleRecord $rule)) }
        $stores[$key] = [ordered]@{ rules = $rules.ToArray(); profiles = $store.profiles }
    }
    $file = [ordered]@{ stores = $stores }
    foreach ($entry in $State.other.GetEnumerator()) { $file[$entry.Key] = $entry.Value }
    $text = $file | ConvertTo-Json -Depth 10
    $path = Get-StatePath
    $temporary = "$path.$PID.tmp"
    [System.IO.File]::WriteAllText($temporary, $text + "`n", [System.Text.UTF8Encoding]::new($false))
    Move-Item -LiteralPath $temporary -Destination $path -Force
    $script:Cache = $null
}

# A rule as kept in the file: every setting present, in one order, lists as arrays. Loops, not pipelines: this
# runs for every rule on every call.
function ConvertTo-RuleRecord($Rule) {
    $record = [ordered]@{}
    foreach ($key in $script:RuleDefaults.Keys) {
        $value = if ($Rule.Contains($key)) { $Rule[$key] } else { $script:RuleDefaults[$key] }
        if ($script:ListSettings -contains $key) {
            $list = [System.Collections.Generic.List[object]]::new()
            foreach ($item in @($value)) { if ($null -ne $item) { $list.Add([string]$item) } }
            $value = $list.ToArray()
        }
        $record[$key] = $value
    }
    return $record
}

function Write-CallLog([string]$Command, [string]$Store, $Bound) {
    $path = $env:NETSECURITY_DOUBLE_LOG
    if ([string]::IsNullOrEmpty($path)) { return }
    $line = [ordered]@{ command = $Command; store = $Store; parameters = @($Bound.Keys | Sort-Object) } | ConvertTo-Json -Compress
    [System.IO.File]::AppendAllText($path, $line + "`n", [System.Text.UTF8Encoding]::new($false))
}

# ---------------------------------------------------------------------------------------------------------------
# Errors as the CDXML cmdlets report them

function New-ErrorRecord([System.Exception]$Exception, [string]$Id, [System.Management.Automation.ErrorCategory]$Category, $Target) {
    return [System.Management.Automation.ErrorRecord]::new($Exception, $Id, $Category, $Target)
}

function Write-NotFound($Cmdlet, [string]$Class, [string]$Property, [string]$Value) {
    $message = "No $Class objects found with property '$Property' equal to '$Value'.  Verify the value of the property and retry."
    $Cmdlet.WriteError((New-ErrorRecord ([System.Management.Automation.ItemNotFoundException]::new($message)) "CmdletizationQuery_NotFound_$Property" 'ObjectNotFound' $Value))
}

function Stop-Unsupported($Cmdlet, [string]$What) {
    $exception = [System.NotSupportedException]::new("NetSecurity test double: $What is not supported; the scripts under test must not need it.")
    $Cmdlet.ThrowTerminatingError((New-ErrorRecord $exception 'NetSecurityDouble_NotSupported' 'NotImplemented' $null))
}

function Assert-Supported($Cmdlet, $Bound) {
    foreach ($name in @('CimSession', 'AsJob', 'GPOSession')) {
        if ($Bound.ContainsKey($name)) { Stop-Unsupported $Cmdlet "-$name" }
    }
}

# ---------------------------------------------------------------------------------------------------------------
# Policy stores

function Resolve-StoreName($Cmdlet, $State, [string]$PolicyStore, [switch]$ForWriting) {
    if ([string]::IsNullOrEmpty($PolicyStore)) { $PolicyStore = 'PersistentStore' }
    $known = @($script:ReadOnlyStores + $script:LocalStores) | Where-Object { $_ -eq $PolicyStore } | Select-Object -First 1
    if ($known) {
        if ($ForWriting -and $script:ReadOnlyStores -contains $known) {
            $exception = [System.UnauthorizedAccessException]::new("The policy store $known is read-only.")
            $Cmdlet.ThrowTerminatingError((New-ErrorRecord $exception 'NetSecurityDouble_ReadOnlyStore' 'PermissionDenied' $known))
        }
        if ($known -eq 'ConfigurableServiceStore' -and -not $State.stores.Contains($known)) {
            $State.stores[$known] = @{ rules = [System.Collections.Generic.List[object]]::new(); profiles = @{} }
        }
        return $known
    }
    # A GPO: domain\name, or a computer name for its local GPO. It must exist.
    $gpo = @($State.stores.Keys) | Where-Object { $_ -eq $PolicyStore } | Select-Object -First 1
    if (-not $gpo) {
        $exception = [System.IO.FileNotFoundException]::new("The policy store '$PolicyStore' was not found: it is neither a built-in store nor an existing GPO.")
        $Cmdlet.ThrowTerminatingError((New-ErrorRecord $exception 'NetSecurityDouble_StoreNotFound' 'ObjectNotFound' $PolicyStore))
    }
    return $gpo
}

function Test-GpoStore([string]$Name) {
    return -not ($script:ReadOnlyStores + $script:LocalStores -contains $Name)
}

# The rules a store shows: its own, or for ActiveStore and RSOP the merge (a GPO's rule wins over a local one).
function Get-StoreEntries($State, [string]$Store) {
    $sources = switch ($Store) {
        'ActiveStore' { @('PersistentStore', 'ConfigurableServiceStore') + @($State.stores.Keys | Where-Object { Test-GpoStore $_ }) }
        'RSOP' { @($State.stores.Keys | Where-Object { Test-GpoStore $_ }) }
        'SystemDefaults' { @() }
        'StaticServiceStore' { @() }
        default { @($Store) }
    }
    $byName = [ordered]@{}
    foreach ($source in $sources) {
        if (-not $State.stores.Contains($source)) { continue }
        $type = if (Test-GpoStore $source) { 'GroupPolicy' } else { 'Local' }
        foreach ($rule in $State.stores[$source].rules) {
            $byName[$rule.Name.ToLowerInvariant()] = [pscustomobject]@{ Rule = $rule; Store = $source; SourceType = $type }
        }
    }
    return @($byName.Values)
}

# ---------------------------------------------------------------------------------------------------------------
# Objects as the cmdlets return them: property bags with the CIM class's type names.

# Which store each returned object came from, so that piping it on reaches the same store.
$script:Origins = [System.Runtime.CompilerServices.ConditionalWeakTable[object, object]]::new()

function New-CimObject([string]$Class, [System.Collections.IDictionary]$Properties, [string]$Store) {
    $object = [pscustomobject]$Properties
    $object.PSObject.TypeNames.Clear()
    $object.PSObject.TypeNames.Add("$script:CimPrefix#root/standardcimv2/$Class")
    $object.PSObject.TypeNames.Add("$script:CimPrefix#$Class")
    $object.PSObject.TypeNames.Add($script:CimPrefix)
    $object.PSObject.TypeNames.Add('System.Object')
    $script:Origins.AddOrUpdate($object, $Store)
    return $object
}

function Get-Origin($Object) {
    $store = $null
    if ($script:Origins.TryGetValue($Object, [ref]$store)) { return [string]$store }
    return $null
}

function ConvertTo-RuleObject($Entry) {
    $r = $Entry.Rule
    return New-CimObject 'MSFT_NetFirewallRule' ([ordered]@{
            Name                          = $r.Name
            ID                            = $r.Name
            DisplayName                   = $r.DisplayName
            Group                         = $r.Group
            Enabled                       = ConvertTo-NetSecurityEnum 'Enabled' $r.Enabled
            Profile                       = ConvertTo-NetSecurityEnum 'Profile' $r.Profile
            Platform                      = [string[]]@($r.Platform)
            Direction                     = ConvertTo-NetSecurityEnum 'Direction' $r.Direction
            Action                        = ConvertTo-NetSecurityEnum 'Action' $r.Action
            EdgeTraversalPolicy           = ConvertTo-NetSecurityEnum 'EdgeTraversal' $r.EdgeTraversalPolicy
            LooseSourceMapping            = [bool]$r.LooseSourceMapping
            LocalOnlyMapping              = [bool]$r.LocalOnlyMapping
            Owner                         = $r.Owner
            PrimaryStatus                 = ConvertTo-NetSecurityEnum 'PrimaryStatus' 'OK'
            Status                        = 'The rule was parsed successfully from the store. (65536)'
            EnforcementStatus             = 'NotApplicable'
            PolicyStoreSource             = $Entry.Store
            PolicyStoreSourceType         = ConvertTo-NetSecurityEnum 'PolicyStoreType' $Entry.SourceType
            RemoteDynamicKeywordAddresses = [string[]]@($r.RemoteDynamicKeywordAddresses)
            Description                   = $r.Description
            DisplayGroup                  = $r.Group
            ElementName                   = $r.DisplayName
            InstanceID                    = $r.Name
            RuleGroup                     = $r.Group
            CreationClassName             = 'MSFT_NetFirewallRule'
        }) $Entry.Store
}

function ConvertTo-FilterObject([string]$Kind, $Entry) {
    $r = $Entry.Rule
    $properties = switch ($Kind) {
        'Port' { [ordered]@{ Protocol = $r.Protocol; LocalPort = [string[]]@($r.LocalPort); RemotePort = [string[]]@($r.RemotePort); IcmpType = [string[]]@($r.IcmpType); DynamicTarget = ConvertTo-NetSecurityEnum 'DynamicTransport' $r.DynamicTarget } }
        'Address' { [ordered]@{ LocalAddress = [string[]]@($r.LocalAddress); LocalIP = [string[]]@($r.LocalAddress); RemoteAddress = [string[]]@($r.RemoteAddress); RemoteIP = [string[]]@($r.RemoteAddress) } }
        'Application' { [ordered]@{ Program = $r.Program; AppPath = $r.Program; Package = $r.Package } }
        'Service' { [ordered]@{ Service = $r.Service; ServiceName = $r.Service } }
        'Interface' { [ordered]@{ InterfaceAlias = [string[]]@($r.InterfaceAlias) } }
        'InterfaceType' { [ordered]@{ InterfaceType = ConvertTo-NetSecurityEnum 'InterfaceType' $r.InterfaceType } }
        'Security' { [ordered]@{ Authentication = ConvertTo-NetSecurityEnum 'Authentication' $r.Authentication; Encryption = ConvertTo-NetSecurityEnum 'Encryption' $r.Encryption; OverrideBlockRules = [bool]$r.OverrideBlockRules; LocalUser = $r.LocalUser; RemoteUser = $r.RemoteUser; RemoteMachine = $r.RemoteMachine } }
    }
    $properties['InstanceID'] = $r.Name
    $properties['CreationClassName'] = $script:FilterClasses[$Kind]
    return New-CimObject $script:FilterClasses[$Kind] $properties $Entry.Store
}

$script:FilterClasses = @{
    Port          = 'MSFT_NetProtocolPortFilter'
    Address       = 'MSFT_NetAddressFilter'
    Application   = 'MSFT_NetApplicationFilter'
    Service       = 'MSFT_NetServiceFilter'
    Interface     = 'MSFT_NetInterfaceFilter'
    InterfaceType = 'MSFT_NetInterfaceTypeFilter'
    Security      = 'MSFT_NetNetworkLayerSecurityFilter'
}

# ---------------------------------------------------------------------------------------------------------------
# Values: checked and written the way Windows keeps them.

function Stop-InvalidValue($Cmdlet, [string]$Message, $Target) {
    $Cmdlet.WriteError((New-ErrorRecord ([System.ArgumentException]::new($Message)) 'NetSecurityDouble_InvalidValue' 'InvalidArgument' $Target))
    return $false
}

$script:ProtocolNames = [ordered]@{ TCP = 6; UDP = 17; ICMPv4 = 1; ICMPv6 = 58 }
$script:AddressKeywords = @('LocalSubnet', 'DNS', 'DHCP', 'WINS', 'DefaultGateway', 'Internet', 'Intranet', 'IntranetRemoteAccess', 'PlayToDevice', 'CaptivePortal')
$script:PortKeywords = @('RPC', 'RPCEPMap', 'Teredo', 'IPHTTPSIn', 'IPHTTPSOut', 'PlayToDiscovery', 'mDNS')
$script:AddressHint = 'The address is invalid. Addresses may be specified as IP addresses, ranges, or subnets. Also, the following address keywords are allowed in certain places: LocalSubnet, DNS, DHCP, WINS, DefaultGateway, Internet, Intranet, IntranetRemoteAccess, PlayToDevice. Keywords can be restricted to IPv4 or IPv6 by appending a 4 or 6 (for example, LocalSubnet4).'

function ConvertTo-Protocol([string]$Value) {
    if ($Value -eq 'Any') { return 'Any' }
    foreach ($name in $script:ProtocolNames.Keys) {
        if ($Value -eq $name -or $Value -eq [string]$script:ProtocolNames[$name]) { return $name }
    }
    $number = 0
    if ([int]::TryParse($Value, [ref]$number) -and $number -ge 0 -and $number -le 255 -and $Value -match '^\d+$') { return [string]$number }
    return $null
}

function ConvertTo-IPAddress([string]$Text) {
    $address = $null
    if ($Text -notmatch '^[0-9A-Fa-f:.]+$') { return $null }
    if (-not [System.Net.IPAddress]::TryParse($Text, [ref]$address)) { return $null }
    if ($address.AddressFamily -eq 'InterNetwork' -and $Text -notmatch '^\d{1,3}(\.\d{1,3}){3}$') { return $null }
    return $address
}

function ConvertTo-MaskText([int]$Bits) {
    $all = [uint64]4294967295
    $mask = ($all -shl (32 - $Bits)) -band $all
    $bytes = [byte[]]@((($mask -shr 24) -band 255), (($mask -shr 16) -band 255), (($mask -shr 8) -band 255), ($mask -band 255))
    return ([System.Net.IPAddress]::new($bytes)).ToString()
}

function Compare-IPAddress($A, $B) {
    $x = $A.GetAddressBytes(); $y = $B.GetAddressBytes()
    for ($i = 0; $i -lt $x.Length; $i++) { if ($x[$i] -ne $y[$i]) { return [int]$x[$i] - [int]$y[$i] } }
    return 0
}

# One address entry as Windows keeps it, or $null when Windows refuses it.
function ConvertTo-AddressEntry([string]$Entry) {
    foreach ($keyword in $script:AddressKeywords) {
        foreach ($suffix in @('', '4', '6')) { if ($Entry -eq "$keyword$suffix") { return "$keyword$suffix" } }
    }
    if ($Entry -match '^([^/-]+)-([^/-]+)$') {
        $first = ConvertTo-IPAddress $Matches[1]; $last = ConvertTo-IPAddress $Matches[2]
        if ($null -eq $first -or $null -eq $last -or $first.AddressFamily -ne $last.AddressFamily -or (Compare-IPAddress $first $last) -gt 0) { return $null }
        return "$first-$last"
    }
    if ($Entry -match '^([^/]+)/([^/]+)$') {
        $address = ConvertTo-IPAddress $Matches[1]; $suffix = $Matches[2]
        if ($null -eq $address) { return $null }
        $v4 = $address.AddressFamily -eq 'InterNetwork'
        if ($suffix -match '^\d{1,3}$') {
            $bits = [int]$suffix
            if ($bits -gt $(if ($v4) { 32 } else { 128 })) { return $null }
            if ($v4) { return "$address/$(ConvertTo-MaskText $bits)" }
            return "$address/$bits"
        }
        $mask = ConvertTo-IPAddress $suffix
        if (-not $v4 -or $null -eq $mask -or $mask.AddressFamily -ne 'InterNetwork') { return $null }
        $bitsText = -join ($mask.GetAddressBytes() | ForEach-Object { [Convert]::ToString($_, 2).PadLeft(8, '0') })
        if ($bitsText -notmatch '^1*0*$') { return $null }
        return "$address/$mask"
    }
    $single = ConvertTo-IPAddress $Entry
    if ($null -eq $single) { return $null }
    return $single.ToString()
}

function ConvertTo-AddressList($Cmdlet, [string]$Parameter, [string[]]$Entries) {
    if ($Entries.Count -eq 0) { return Stop-InvalidValue $Cmdlet "$Parameter is empty. $script:AddressHint" $Parameter }
    if ($Entries.Count -eq 1 -and $Entries[0] -eq 'Any') { return , [string[]]@('Any') }
    $out = [System.Collections.Generic.List[string]]::new()
    foreach ($entry in $Entries) {
        $normal = if ($entry -eq 'Any') { $null } else { ConvertTo-AddressEntry $entry }
        if ($null -eq $normal) { return Stop-InvalidValue $Cmdlet "$Parameter '$entry': $script:AddressHint" $entry }
        $out.Add($normal)
    }
    return , [string[]]$out.ToArray()
}

function Test-PortEntry([string]$Entry) {
    if ($script:PortKeywords -contains $Entry) { return $true }
    if ($Entry -match '^(\d{1,5})(-(\d{1,5}))?$') {
        $from = [int]$Matches[1]; $to = if ($Matches[3]) { [int]$Matches[3] } else { $from }
        return $from -le 65535 -and $to -le 65535 -and $from -le $to
    }
    return $false
}

function Test-IcmpEntry([string]$Entry) {
    if ($Entry -match '^(\d{1,3})(:(\d{1,3}))?$') { return [int]$Matches[1] -le 255 -and (-not $Matches[3] -or [int]$Matches[3] -le 255) }
    return $false
}

# Checks a whole rule as it would be stored (after New or Set), normalizing what Windows normalizes. $false: refused.
function Confirm-Rule($Cmdlet, $Rule) {
    if ([string]::IsNullOrEmpty($Rule.DisplayName) -or $Rule.DisplayName -eq 'All') { return Stop-InvalidValue $Cmdlet "DisplayName '$($Rule.DisplayName)' is invalid: it must not be empty or All." $Rule.Name }
    if ([string]::IsNullOrEmpty($Rule.Name)) { return Stop-InvalidValue $Cmdlet 'Name must not be empty.' $Rule.Name }
    $protocol = ConvertTo-Protocol ([string]$Rule.Protocol)
    if ($null -eq $protocol) { return Stop-InvalidValue $Cmdlet "Protocol '$($Rule.Protocol)' is invalid: give TCP, UDP, ICMPv4, ICMPv6, Any or a number 0-255." $Rule.Name }
    $Rule.Protocol = $protocol
    foreach ($parameter in @('LocalPort', 'RemotePort')) {
        $ports = @($Rule[$parameter])
        if ($ports.Count -eq 1 -and $ports[0] -eq 'Any') { continue }
        if ($protocol -ne 'TCP' -and $protocol -ne 'UDP') { return Stop-InvalidValue $Cmdlet "$parameter can only be given when the protocol is TCP or UDP (the rule's protocol is $protocol)." $Rule.Name }
        foreach ($port in $ports) { if (-not (Test-PortEntry $port)) { return Stop-InvalidValue $Cmdlet "$parameter '$port' is invalid: give a port 0-65535, a range such as 49152-65535, or a keyword." $Rule.Name } }
    }
    $icmp = @($Rule.IcmpType)
    if (-not ($icmp.Count -eq 1 -and $icmp[0] -eq 'Any')) {
        if ($protocol -ne 'ICMPv4' -and $protocol -ne 'ICMPv6') { return Stop-InvalidValue $Cmdlet "IcmpType can only be given when the protocol is ICMPv4 or ICMPv6 (the rule's protocol is $protocol)." $Rule.Name }
        foreach ($type in $icmp) { if (-not (Test-IcmpEntry $type)) { return Stop-InvalidValue $Cmdlet "IcmpType '$type' is invalid: give a type 0-255 or type:code." $Rule.Name } }
    }
    foreach ($parameter in @('LocalAddress', 'RemoteAddress')) {
        $list = ConvertTo-AddressList $Cmdlet $parameter ([string[]]@($Rule[$parameter]))
        if ($list -is [bool]) { return $false }
        $Rule[$parameter] = $list
    }
    return $true
}

# ---------------------------------------------------------------------------------------------------------------
# Selecting rules by the query parameters the Get/Set/Remove cmdlets share.

$script:QueryProperties = [ordered]@{
    Name         = 'InstanceID'
    DisplayName  = 'ElementName'
    Description  = 'Description'
    DisplayGroup = 'DisplayGroup'
    Group        = 'RuleGroup'
}
$script:EnumQueries = [ordered]@{
    Enabled               = 'Enabled'
    Direction             = 'Direction'
    Action                = 'Action'
    EdgeTraversalPolicy   = 'EdgeTraversalPolicy'
    PrimaryStatus         = $null
    PolicyStoreSourceType = $null
}

function Test-Like([string]$Text, [string]$Pattern) {
    if ($null -eq $Text) { $Text = '' }
    if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($Pattern)) {
        return [System.Management.Automation.WildcardPattern]::new($Pattern, 'IgnoreCase').IsMatch($Text)
    }
    return [string]::Equals($Text, $Pattern, [System.StringComparison]::OrdinalIgnoreCase)
}

function Get-RuleField($Entry, [string]$Parameter) {
    switch ($Parameter) {
        'DisplayGroup' { return $Entry.Rule.Group }
        'PolicyStoreSource' { return $Entry.Store }
        'PolicyStoreSourceType' { return $Entry.SourceType }
        'PrimaryStatus' { return 'OK' }
        'Status' { return 'The rule was parsed successfully from the store. (65536)' }
        default { return $Entry.Rule[$Parameter] }
    }
}

# The entries matching every query parameter given (values of one parameter: any of them); a value without
# wildcards that matches nothing is reported as Windows reports it.
function Select-RuleEntries($Cmdlet, $Entries, $Bound) {
    $selected = @(foreach ($entry in $Entries) { if ($null -ne $entry) { $entry } })
    $queries = @('Name', 'DisplayName', 'Description', 'DisplayGroup', 'Group', 'Owner', 'Status', 'PolicyStoreSource', 'Enabled', 'Direction', 'Action', 'EdgeTraversalPolicy', 'LooseSourceMapping', 'LocalOnlyMapping', 'PrimaryStatus', 'PolicyStoreSourceType')
    foreach ($parameter in $queries) {
        if (-not $Bound.ContainsKey($parameter)) { continue }
        $values = @($Bound[$parameter])
        $kept = [System.Collections.Generic.List[object]]::new()
        foreach ($value in $values) {
            $hits = 0
            foreach ($entry in $selected) {
                $field = Get-RuleField $entry $parameter
                $match = if ($value -is [bool]) { [bool]$field -eq $value } else { Test-Like ([string]$field) ([string]$value) }
                if ($match) {
                    $hits++
                    if (-not $kept.Contains($entry)) { $kept.Add($entry) }
                }
            }
            $property = $script:QueryProperties[$parameter]
            if ($hits -eq 0 -and $property -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters([string]$value)) {
                Write-NotFound $Cmdlet 'MSFT_NetFirewallRule' $property ([string]$value)
            }
        }
        $selected = @(foreach ($entry in $selected) { if ($kept.Contains($entry)) { $entry } })
    }
    return $selected
}

$script:RuleAssociations = [ordered]@{
    AssociatedNetFirewallAddressFilter       = 'MSFT_NetAddressFilter'
    AssociatedNetFirewallApplicationFilter   = 'MSFT_NetApplicationFilter'
    AssociatedNetFirewallInterfaceFilter     = 'MSFT_NetInterfaceFilter'
    AssociatedNetFirewallInterfaceTypeFilter = 'MSFT_NetInterfaceTypeFilter'
    AssociatedNetFirewallPortFilter          = 'MSFT_NetProtocolPortFilter'
    AssociatedNetFirewallSecurityFilter      = 'MSFT_NetNetworkLayerSecurityFilter'
    AssociatedNetFirewallServiceFilter       = 'MSFT_NetServiceFilter'
    AssociatedNetFirewallProfile             = 'MSFT_NetFirewallProfile'
}

# The rules a filter (or profile) object from the pipeline belongs to.
function Select-AssociatedRules($Cmdlet, $Entries, [string]$Parameter, $Object) {
    if ($Parameter -eq 'AssociatedNetFirewallProfile') {
        $profile = ConvertTo-NetSecurityEnum 'Profile' $Object.Name
        return @($Entries | Where-Object { $p = ConvertTo-NetSecurityEnum 'Profile' $_.Rule.Profile; $p -eq 0 -or ($p -band $profile) })
    }
    $hits = @($Entries | Where-Object { $_.Rule.Name -eq $Object.InstanceID })
    if ($hits.Count -eq 0) { Write-NotFound $Cmdlet 'MSFT_NetFirewallRule' 'InstanceID' ([string]$Object.InstanceID) }
    return $hits
}

function Get-AssociatedParameter($Bound) {
    foreach ($name in $script:RuleAssociations.Keys) { if ($Bound.ContainsKey($name)) { return $name } }
    return $null
}

# ---------------------------------------------------------------------------------------------------------------
# The rule cmdlets

function New-NetFirewallRule {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [string]$PolicyStore,
        [string]$GPOSession,
        [Alias('ID')] [string]$Name,
        [Parameter(Mandatory)] [string]$DisplayName,
        [string]$Description,
        [string]$Group,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled]$Enabled,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile]$Profile,
        [string[]]$Platform,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction]$Direction,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action]$Action,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EdgeTraversal]$EdgeTraversalPolicy,
        [Alias('LSM')] [bool]$LooseSourceMapping,
        [bool]$LocalOnlyMapping,
        [string]$Owner,
        [string[]]$LocalAddress,
        [string[]]$RemoteAddress,
        [string]$Protocol,
        [string[]]$LocalPort,
        [string[]]$RemotePort,
        [string[]]$IcmpType,
        [Alias('DynamicTransport')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.DynamicTransport]$DynamicTarget,
        [string]$Program,
        [string]$Package,
        [string]$Service,
        [System.Management.Automation.WildcardPattern[]]$InterfaceAlias,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.InterfaceType]$InterfaceType,
        [string]$LocalUser,
        [string]$RemoteUser,
        [string]$RemoteMachine,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Authentication]$Authentication,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Encryption]$Encryption,
        [bool]$OverrideBlockRules,
        [string[]]$RemoteDynamicKeywordAddresses,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    Assert-Supported $PSCmdlet $PSBoundParameters
    $state = Read-State -ForChange
    $store = Resolve-StoreName $PSCmdlet $state $PolicyStore -ForWriting
    Write-CallLog 'New-NetFirewallRule' $store $PSBoundParameters
    $rule = ConvertTo-RuleRecord @{}
    foreach ($key in @($PSBoundParameters.Keys)) {
        if ($rule.Contains($key)) { $rule[$key] = ConvertTo-StoredValue $key $PSBoundParameters[$key] }
    }
    if (-not $PSBoundParameters.ContainsKey('Name')) { $rule.Name = "{$([guid]::NewGuid())}" }
    if (-not (Confirm-Rule $PSCmdlet $rule)) { return }
    if (@($state.stores[$store].rules | Where-Object { $_.Name -eq $rule.Name }).Count -gt 0) {
        $exception = [System.ComponentModel.Win32Exception]::new(183, 'Cannot create a file when that file already exists.')
        $PSCmdlet.WriteError((New-ErrorRecord $exception 'Windows System Error 183' 'ResourceExists' $rule.Name))
        return
    }
    if (-not $PSCmdlet.ShouldProcess("$($rule.Name) in $store", 'New firewall rule')) { return }
    $state.stores[$store].rules.Add($rule)
    Write-State $state
    ConvertTo-RuleObject ([pscustomobject]@{ Rule = $rule; Store = $store; SourceType = $(if (Test-GpoStore $store) { 'GroupPolicy' } else { 'Local' }) })
}

# A bound parameter value as the file keeps it: enums by name, lists as string arrays.
function ConvertTo-StoredValue([string]$Key, $Value) {
    if ($script:ListSettings -contains $Key) { return [object[]]@($Value | ForEach-Object { [string]$_ }) }
    if ($Value -is [System.Enum]) { return $Value.ToString() }
    if ($Value -is [bool]) { return $Value }
    return [string]$Value
}

function Get-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)] [Alias('ID')] [string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)] [string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Description,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled[]]$Enabled,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction[]]$Direction,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action[]]$Action,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EdgeTraversal[]]$EdgeTraversalPolicy,
        [Parameter(ParameterSetName = 'ByQuery')] [Alias('LSM')] [bool[]]$LooseSourceMapping,
        [Parameter(ParameterSetName = 'ByQuery')] [bool[]]$LocalOnlyMapping,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Owner,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PrimaryStatus[]]$PrimaryStatus,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Status,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$PolicyStoreSource,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PolicyStoreType[]]$PolicyStoreSourceType,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallAddressFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetAddressFilter')] [psobject]$AssociatedNetFirewallAddressFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallApplicationFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetApplicationFilter')] [psobject]$AssociatedNetFirewallApplicationFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallInterfaceFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetInterfaceFilter')] [psobject]$AssociatedNetFirewallInterfaceFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallInterfaceTypeFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetInterfaceTypeFilter')] [psobject]$AssociatedNetFirewallInterfaceTypeFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallPortFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetProtocolPortFilter')] [psobject]$AssociatedNetFirewallPortFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallSecurityFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetNetworkLayerSecurityFilter')] [psobject]$AssociatedNetFirewallSecurityFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallServiceFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetServiceFilter')] [psobject]$AssociatedNetFirewallServiceFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallProfile', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallProfile')] [psobject]$AssociatedNetFirewallProfile,
        [string]$PolicyStore,
        [string]$GPOSession,
        [switch]$TracePolicyStore,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Assert-Supported $PSCmdlet $PSBoundParameters
        $state = Read-State
        $association = Get-AssociatedParameter $PSBoundParameters
        $storeText = $PolicyStore
        if ($association -and -not $storeText) { $storeText = Get-Origin $PSBoundParameters[$association] }
        $store = Resolve-StoreName $PSCmdlet $state $storeText
        Write-CallLog 'Get-NetFirewallRule' $store $PSBoundParameters
        $entries = @(Get-StoreEntries $state $store)
        $selected = if ($association) { Select-AssociatedRules $PSCmdlet $entries $association $PSBoundParameters[$association] } else { Select-RuleEntries $PSCmdlet $entries $PSBoundParameters }
        foreach ($entry in $selected) { ConvertTo-RuleObject $entry }
    }
}

function Set-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'ByName', SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)] [Alias('ID')] [string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)] [string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByDisplayGroup', Mandatory)] [string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByGroup', Mandatory)] [string[]]$Group,
        [Parameter(ParameterSetName = 'InputObject', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject[]]$InputObject,
        [Parameter(ParameterSetName = 'ByName')] [Parameter(ParameterSetName = 'ByDisplayName')] [Parameter(ParameterSetName = 'ByDisplayGroup')] [Parameter(ParameterSetName = 'ByGroup')] [string]$PolicyStore,
        [Parameter(ParameterSetName = 'ByName')] [Parameter(ParameterSetName = 'ByDisplayName')] [Parameter(ParameterSetName = 'ByDisplayGroup')] [Parameter(ParameterSetName = 'ByGroup')] [string]$GPOSession,
        [string]$NewDisplayName,
        [string]$Description,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled]$Enabled,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile]$Profile,
        [string[]]$Platform,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction]$Direction,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action]$Action,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EdgeTraversal]$EdgeTraversalPolicy,
        [Alias('LSM')] [bool]$LooseSourceMapping,
        [bool]$LocalOnlyMapping,
        [string]$Owner,
        [string[]]$LocalAddress,
        [string[]]$RemoteAddress,
        [string]$Protocol,
        [string[]]$LocalPort,
        [string[]]$RemotePort,
        [string[]]$IcmpType,
        [Alias('DynamicTransport')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.DynamicTransport]$DynamicTarget,
        [string]$Program,
        [string]$Package,
        [string]$Service,
        [System.Management.Automation.WildcardPattern[]]$InterfaceAlias,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.InterfaceType]$InterfaceType,
        [string]$LocalUser,
        [string]$RemoteUser,
        [string]$RemoteMachine,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Authentication]$Authentication,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Encryption]$Encryption,
        [bool]$OverrideBlockRules,
        [string[]]$RemoteDynamicKeywordAddresses,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob,
        [switch]$PassThru
    )
    process {
        Assert-Supported $PSCmdlet $PSBoundParameters
        $state = Read-State -ForChange
        $targets = Select-ChangeTargets $PSCmdlet $state $PSBoundParameters -Selectors @('Name', 'DisplayName', 'DisplayGroup', 'Group')
        $changed = $false
        foreach ($target in $targets) {
            $rule = ConvertTo-RuleRecord $target.Rule
            foreach ($key in @($PSBoundParameters.Keys)) {
                $field = if ($key -eq 'NewDisplayName') { 'DisplayName' } elseif (@('Name', 'DisplayName', 'Group', 'DisplayGroup') -contains $key) { $null } else { $key }
                if ($field -and $rule.Contains($field)) { $rule[$field] = ConvertTo-StoredValue $field $PSBoundParameters[$key] }
            }
            if (-not (Confirm-Rule $PSCmdlet $rule)) { continue }
            if (-not $PSCmdlet.ShouldProcess("$($rule.Name) in $($target.Store)", 'Set firewall rule')) { continue }
            $rules = $state.stores[$target.Store].rules
            $rules[$rules.IndexOf($target.Rule)] = $rule
            $changed = $true
            if ($PassThru) { ConvertTo-RuleObject ([pscustomobject]@{ Rule = $rule; Store = $target.Store; SourceType = $target.SourceType }) }
        }
        if ($changed) { Write-State $state }
    }
}

function Remove-NetFirewallRule {
    [CmdletBinding(DefaultParameterSetName = 'GetAll', SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)] [Alias('ID')] [string[]]$Name,
        [Parameter(ParameterSetName = 'ByDisplayName', Mandatory)] [string[]]$DisplayName,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Description,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$DisplayGroup,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Group,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled[]]$Enabled,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction[]]$Direction,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action[]]$Action,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.EdgeTraversal[]]$EdgeTraversalPolicy,
        [Parameter(ParameterSetName = 'ByQuery')] [Alias('LSM')] [bool[]]$LooseSourceMapping,
        [Parameter(ParameterSetName = 'ByQuery')] [bool[]]$LocalOnlyMapping,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Owner,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PrimaryStatus[]]$PrimaryStatus,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Status,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$PolicyStoreSource,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.PolicyStoreType[]]$PolicyStoreSourceType,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallAddressFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetAddressFilter')] [psobject]$AssociatedNetFirewallAddressFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallApplicationFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetApplicationFilter')] [psobject]$AssociatedNetFirewallApplicationFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallInterfaceFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetInterfaceFilter')] [psobject]$AssociatedNetFirewallInterfaceFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallInterfaceTypeFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetInterfaceTypeFilter')] [psobject]$AssociatedNetFirewallInterfaceTypeFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallPortFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetProtocolPortFilter')] [psobject]$AssociatedNetFirewallPortFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallSecurityFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetNetworkLayerSecurityFilter')] [psobject]$AssociatedNetFirewallSecurityFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallServiceFilter', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetServiceFilter')] [psobject]$AssociatedNetFirewallServiceFilter,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallProfile', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallProfile')] [psobject]$AssociatedNetFirewallProfile,
        [Parameter(ParameterSetName = 'InputObject', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject[]]$InputObject,
        [Parameter(ParameterSetName = 'GetAll')] [Parameter(ParameterSetName = 'ByName')] [Parameter(ParameterSetName = 'ByDisplayName')] [Parameter(ParameterSetName = 'ByQuery')]
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallAddressFilter')] [Parameter(ParameterSetName = 'ByAssociatedNetFirewallApplicationFilter')]
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallInterfaceFilter')] [Parameter(ParameterSetName = 'ByAssociatedNetFirewallInterfaceTypeFilter')]
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallPortFilter')] [Parameter(ParameterSetName = 'ByAssociatedNetFirewallSecurityFilter')]
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallServiceFilter')] [Parameter(ParameterSetName = 'ByAssociatedNetFirewallProfile')]
        [string]$PolicyStore,
        [Parameter(ParameterSetName = 'GetAll')] [Parameter(ParameterSetName = 'ByName')] [Parameter(ParameterSetName = 'ByDisplayName')] [Parameter(ParameterSetName = 'ByQuery')]
        [string]$GPOSession,
        [Parameter(ParameterSetName = 'GetAll')] [Parameter(ParameterSetName = 'ByName')] [Parameter(ParameterSetName = 'ByDisplayName')] [Parameter(ParameterSetName = 'ByQuery')]
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallAddressFilter')] [Parameter(ParameterSetName = 'ByAssociatedNetFirewallApplicationFilter')]
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallInterfaceFilter')] [Parameter(ParameterSetName = 'ByAssociatedNetFirewallInterfaceTypeFilter')]
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallPortFilter')] [Parameter(ParameterSetName = 'ByAssociatedNetFirewallSecurityFilter')]
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallServiceFilter')] [Parameter(ParameterSetName = 'ByAssociatedNetFirewallProfile')]
        [switch]$TracePolicyStore,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob,
        [switch]$PassThru
    )
    process {
        Assert-Supported $PSCmdlet $PSBoundParameters
        $state = Read-State -ForChange
        $targets = Select-ChangeTargets $PSCmdlet $state $PSBoundParameters
        $changed = $false
        foreach ($target in $targets) {
            if (-not $PSCmdlet.ShouldProcess("$($target.Rule.Name) in $($target.Store)", 'Remove firewall rule')) { continue }
            [void]$state.stores[$target.Store].rules.Remove($target.Rule)
            $changed = $true
            if ($PassThru) { ConvertTo-RuleObject $target }
        }
        if ($changed) { Write-State $state }
    }
}

# The stored rules a Set or Remove call names, each with the store it lives in. Set passes its selectors: its
# other parameters (-Enabled, -Description, ...) are new values, not queries.
function Select-ChangeTargets($Cmdlet, $State, $Bound, [string[]]$Selectors) {
    $command = $Cmdlet.MyInvocation.MyCommand.Name
    if ($Bound.ContainsKey('InputObject')) {
        return @(foreach ($object in $Bound['InputObject']) {
                $store = Resolve-StoreName $Cmdlet $State (Get-Origin $object) -ForWriting
                Write-CallLog $command $store $Bound
                $hits = @(Get-StoreEntries $State $store | Where-Object { $_.Rule.Name -eq $object.Name })
                if ($hits.Count -eq 0) { Write-NotFound $Cmdlet 'MSFT_NetFirewallRule' 'InstanceID' ([string]$object.Name) }
                $hits
            })
    }
    $association = Get-AssociatedParameter $Bound
    $storeText = $Bound['PolicyStore']
    if ($association -and -not $storeText) { $storeText = Get-Origin $Bound[$association] }
    $store = Resolve-StoreName $Cmdlet $State $storeText -ForWriting
    Write-CallLog $command $store $Bound
    $entries = @(Get-StoreEntries $State $store)
    if ($association) { return @(Select-AssociatedRules $Cmdlet $entries $association $Bound[$association]) }
    $query = $Bound
    if ($Selectors) {
        $query = @{}
        foreach ($key in $Selectors) { if ($Bound.ContainsKey($key)) { $query[$key] = $Bound[$key] } }
    }
    return @(Select-RuleEntries $Cmdlet $entries $query)
}

# ---------------------------------------------------------------------------------------------------------------
# The filter cmdlets: one object per rule, for rules from the pipeline (-AssociatedNetFirewallRule) or all of a store.

function Get-FilterObjects($Cmdlet, [string]$Kind, $Bound, [scriptblock]$Where) {
    Assert-Supported $Cmdlet $Bound
    if ($Bound.ContainsKey('AssociatedNetIPsecRule')) { Stop-Unsupported $Cmdlet '-AssociatedNetIPsecRule (IPsec rules)' }
    $state = Read-State
    $rule = $Bound['AssociatedNetFirewallRule']
    $storeText = $Bound['PolicyStore']
    if ($null -ne $rule -and -not $storeText) { $storeText = Get-Origin $rule }
    $store = Resolve-StoreName $Cmdlet $state $storeText
    Write-CallLog $Cmdlet.MyInvocation.MyCommand.Name $store $Bound
    $entries = @(Get-StoreEntries $state $store)
    if ($null -ne $rule) {
        $entries = @($entries | Where-Object { $_.Rule.Name -eq $rule.Name })
        if ($entries.Count -eq 0) { Write-NotFound $Cmdlet 'MSFT_NetFirewallRule' 'InstanceID' ([string]$rule.Name) }
    }
    foreach ($entry in $entries) {
        if ($null -eq $Where -or (& $Where $entry.Rule $Bound)) { ConvertTo-FilterObject $Kind $entry }
    }
}

function Get-NetFirewallPortFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Protocol,
        [Parameter(ParameterSetName = 'ByQuery')] [Alias('DynamicTransport')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.DynamicTransport[]]$DynamicTarget,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject]$AssociatedNetFirewallRule,
        [Parameter(ParameterSetName = 'ByAssociatedNetIPsecRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetIPsecRule')] [psobject]$AssociatedNetIPsecRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $where = if ($PSCmdlet.ParameterSetName -eq 'ByQuery') {
            { param($r, $b) (-not $b['Protocol'] -or @($b['Protocol'] | Where-Object { (ConvertTo-Protocol $_) -eq $r.Protocol }).Count -gt 0) -and (-not $b['DynamicTarget'] -or @($b['DynamicTarget'] | Where-Object { $_.ToString() -eq $r.DynamicTarget }).Count -gt 0) }
        }
        Get-FilterObjects $PSCmdlet 'Port' $PSBoundParameters $where
    }
}

function Get-NetFirewallAddressFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject]$AssociatedNetFirewallRule,
        [Parameter(ParameterSetName = 'ByAssociatedNetIPsecRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetIPsecRule')] [psobject]$AssociatedNetIPsecRule,
        [Parameter(ParameterSetName = 'ByAssociatedNetIPsecMainModeRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetIPsecMainModeRule')] [psobject]$AssociatedNetIPsecMainModeRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        if ($PSBoundParameters.ContainsKey('AssociatedNetIPsecMainModeRule')) { Stop-Unsupported $PSCmdlet '-AssociatedNetIPsecMainModeRule (IPsec rules)' }
        Get-FilterObjects $PSCmdlet 'Address' $PSBoundParameters $null
    }
}

function Get-NetFirewallApplicationFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Program,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Package,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $where = if ($PSCmdlet.ParameterSetName -eq 'ByQuery') {
            { param($r, $b) (-not $b['Program'] -or @($b['Program'] | Where-Object { $r.Program -like $_ }).Count -gt 0) -and (-not $b['Package'] -or @($b['Package'] | Where-Object { $r.Package -like $_ }).Count -gt 0) }
        }
        Get-FilterObjects $PSCmdlet 'Application' $PSBoundParameters $where
    }
}

function Get-NetFirewallServiceFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$Service,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $where = if ($PSCmdlet.ParameterSetName -eq 'ByQuery') { { param($r, $b) @($b['Service'] | Where-Object { $r.Service -like $_ }).Count -gt 0 } }
        Get-FilterObjects $PSCmdlet 'Service' $PSBoundParameters $where
    }
}

function Get-NetFirewallInterfaceFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject]$AssociatedNetFirewallRule,
        [Parameter(ParameterSetName = 'ByAssociatedNetIPsecRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetIPsecRule')] [psobject]$AssociatedNetIPsecRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process { Get-FilterObjects $PSCmdlet 'Interface' $PSBoundParameters $null }
}

function Get-NetFirewallInterfaceTypeFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.InterfaceType[]]$InterfaceType,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject]$AssociatedNetFirewallRule,
        [Parameter(ParameterSetName = 'ByAssociatedNetIPsecRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetIPsecRule')] [psobject]$AssociatedNetIPsecRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $where = if ($PSCmdlet.ParameterSetName -eq 'ByQuery') { { param($r, $b) @($b['InterfaceType'] | Where-Object { $_.ToString() -eq $r.InterfaceType }).Count -gt 0 } }
        Get-FilterObjects $PSCmdlet 'InterfaceType' $PSBoundParameters $where
    }
}

function Get-NetFirewallSecurityFilter {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Authentication[]]$Authentication,
        [Parameter(ParameterSetName = 'ByQuery')] [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Encryption[]]$Encryption,
        [Parameter(ParameterSetName = 'ByQuery')] [bool[]]$OverrideBlockRules,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$LocalUser,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$RemoteUser,
        [Parameter(ParameterSetName = 'ByQuery')] [string[]]$RemoteMachine,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject]$AssociatedNetFirewallRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        $where = if ($PSCmdlet.ParameterSetName -eq 'ByQuery') {
            {
                param($r, $b)
                foreach ($key in @('Authentication', 'Encryption', 'OverrideBlockRules', 'LocalUser', 'RemoteUser', 'RemoteMachine')) {
                    if ($b.ContainsKey($key) -and @($b[$key] | Where-Object { [string]$_ -eq [string]$r[$key] }).Count -eq 0) { return $false }
                }
                return $true
            }
        }
        Get-FilterObjects $PSCmdlet 'Security' $PSBoundParameters $where
    }
}

# ---------------------------------------------------------------------------------------------------------------
# Profiles: Domain, Private, Public, with the settings a store gives them (GPO stores: NotConfigured throughout;
# ActiveStore: a GPO's configured value wins over the local one).

function Get-ProfileSettings($State, [string]$Store, [string]$Name) {
    $settings = [ordered]@{}
    foreach ($key in $script:ProfileDefaults.Keys) { $settings[$key] = $script:ProfileDefaults[$key] }
    if (Test-GpoStore $Store) {
        foreach ($key in @($settings.Keys)) { if ($key -notlike 'Log*' -or $key -eq 'LogIgnored') { $settings[$key] = 'NotConfigured' } }
    }
    $layers = switch ($Store) {
        'ActiveStore' { @('PersistentStore') + @($State.stores.Keys | Where-Object { Test-GpoStore $_ }) }
        'RSOP' { @($State.stores.Keys | Where-Object { Test-GpoStore $_ }) }
        default { @($Store) }
    }
    foreach ($layer in $layers) {
        if (-not $State.stores.Contains($layer)) { continue }
        $configured = $State.stores[$layer].profiles[$Name]
        if ($null -eq $configured) { continue }
        foreach ($entry in $configured.GetEnumerator()) {
            if (-not $settings.Contains($entry.Key)) { throw "NetSecurity test double: unknown profile setting $($entry.Key) in store $layer" }
            if ([string]$entry.Value -ne 'NotConfigured') { $settings[$entry.Key] = $entry.Value }
        }
    }
    return $settings
}

function ConvertTo-ProfileObject($State, [string]$Store, [string]$Name) {
    $s = Get-ProfileSettings $State $Store $Name
    $gpo = { param($v) ConvertTo-NetSecurityEnum 'GpoBoolean' $v }
    return New-CimObject 'MSFT_NetFirewallProfile' ([ordered]@{
            Name                            = $Name
            Profile                         = $Name
            Enabled                         = & $gpo $s.Enabled
            DefaultInboundAction            = ConvertTo-NetSecurityEnum 'Action' $s.DefaultInboundAction
            DefaultOutboundAction           = ConvertTo-NetSecurityEnum 'Action' $s.DefaultOutboundAction
            AllowInboundRules               = & $gpo $s.AllowInboundRules
            AllowLocalFirewallRules         = & $gpo $s.AllowLocalFirewallRules
            AllowLocalIPsecRules            = & $gpo $s.AllowLocalIPsecRules
            AllowUserApps                   = & $gpo $s.AllowUserApps
            AllowUserPorts                  = & $gpo $s.AllowUserPorts
            AllowUnicastResponseToMulticast = & $gpo $s.AllowUnicastResponseToMulticast
            NotifyOnListen                  = & $gpo $s.NotifyOnListen
            EnableStealthModeForIPsec       = & $gpo $s.EnableStealthModeForIPsec
            LogFileName                     = $s.LogFileName
            LogMaxSizeKilobytes             = [uint64]$s.LogMaxSizeKilobytes
            LogAllowed                      = & $gpo $s.LogAllowed
            LogBlocked                      = & $gpo $s.LogBlocked
            LogIgnored                      = & $gpo $s.LogIgnored
            DisabledInterfaceAliases        = [string[]]@($s.DisabledInterfaceAliases)
            InstanceID                      = "MSFT_NetFirewallProfile|$Name"
            CreationClassName               = 'MSFT_NetFirewallProfile'
        }) $Store
}

function Get-NetFirewallProfile {
    [CmdletBinding(DefaultParameterSetName = 'GetAll')]
    param(
        [Parameter(ParameterSetName = 'GetAll')] [switch]$All,
        [Parameter(ParameterSetName = 'ByName', Mandatory, Position = 0)] [Alias('Profile')] [string[]]$Name,
        [Parameter(ParameterSetName = 'ByAssociatedNetFirewallRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule')] [psobject]$AssociatedNetFirewallRule,
        [Parameter(ParameterSetName = 'ByAssociatedNetIPsecRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetIPsecRule')] [psobject]$AssociatedNetIPsecRule,
        [Parameter(ParameterSetName = 'ByAssociatedNetIPsecMainModeRule', Mandatory, ValueFromPipeline)] [PSTypeName('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetIPsecMainModeRule')] [psobject]$AssociatedNetIPsecMainModeRule,
        [string]$PolicyStore,
        [string]$GPOSession,
        [Alias('Session')] [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        Assert-Supported $PSCmdlet $PSBoundParameters
        foreach ($ipsec in @('AssociatedNetIPsecRule', 'AssociatedNetIPsecMainModeRule')) { if ($PSBoundParameters.ContainsKey($ipsec)) { Stop-Unsupported $PSCmdlet "-$ipsec (IPsec rules)" } }
        $state = Read-State
        $storeText = $PolicyStore
        if ($AssociatedNetFirewallRule -and -not $storeText) { $storeText = Get-Origin $AssociatedNetFirewallRule }
        $store = Resolve-StoreName $PSCmdlet $state $storeText
        Write-CallLog 'Get-NetFirewallProfile' $store $PSBoundParameters
        $names = $script:ProfileNames
        if ($PSCmdlet.ParameterSetName -eq 'ByName') {
            $names = @(foreach ($pattern in $Name) {
                    $hits = @($script:ProfileNames | Where-Object { Test-Like $_ $pattern })
                    if ($hits.Count -eq 0 -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($pattern)) { Write-NotFound $PSCmdlet 'MSFT_NetFirewallProfile' 'Name' $pattern }
                    $hits
                }) | Select-Object -Unique
        }
        elseif ($AssociatedNetFirewallRule) {
            $ruleProfile = ConvertTo-NetSecurityEnum 'Profile' $AssociatedNetFirewallRule.Profile
            $names = @($script:ProfileNames | Where-Object { $ruleProfile -eq 0 -or ($ruleProfile -band (ConvertTo-NetSecurityEnum 'Profile' $_)) })
        }
        foreach ($profileName in $names) { ConvertTo-ProfileObject $state $store $profileName }
    }
}
