// Built-in Entra role templates (ids are the same in every tenant).

export interface RoleTemplate {
  id: string;
  displayName: string;
  description: string;
}

export const GLOBAL_ADMINISTRATOR_TEMPLATE_ID = "62e90394-69f5-4237-9190-012177145e10";

export const ROLE_TEMPLATES: readonly RoleTemplate[] = [
  { id: GLOBAL_ADMINISTRATOR_TEMPLATE_ID, displayName: "Global Administrator", description: "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities." },
  { id: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", displayName: "Global Reader", description: "Can read everything that a Global Administrator can, but not update anything." },
  { id: "fe930be7-5e62-47db-91af-98c3a49a38b1", displayName: "User Administrator", description: "Can manage all aspects of users and groups, including resetting passwords for limited admins." },
  { id: "194ae4cb-b126-40b2-bd5b-6091b380977d", displayName: "Security Administrator", description: "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365." },
  { id: "e8611ab8-c189-46e8-94e1-60213ab1f814", displayName: "Privileged Role Administrator", description: "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management." },
  { id: "729827e3-9c14-49f7-bb1b-9608f156bbb8", displayName: "Helpdesk Administrator", description: "Can reset passwords for non-administrators and Helpdesk Administrators." },
  { id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", displayName: "Application Administrator", description: "Can create and manage all aspects of app registrations and enterprise apps." },
  { id: "158c047a-c907-4556-b7ef-446551a6b5f7", displayName: "Cloud Application Administrator", description: "Can create and manage all aspects of app registrations and enterprise apps except App Proxy." },
  { id: "5d6b6bb7-de71-4623-b4af-96380a352509", displayName: "Security Reader", description: "Can read security information and reports in Microsoft Entra ID and Office 365." },
  { id: "29232cdf-9323-42fd-ade2-1d097af3e4de", displayName: "Exchange Administrator", description: "Can manage all aspects of the Exchange product." },
  { id: "fdd7a751-b60b-444a-984c-02652fe8fa1c", displayName: "Groups Administrator", description: "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports." },
  { id: "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", displayName: "SharePoint Administrator", description: "Can manage all aspects of the SharePoint service." },
  { id: "b0f54661-2d74-4c50-afa3-1ec803f12efe", displayName: "Billing Administrator", description: "Can perform common billing related tasks like updating payment information." },
  { id: "c4e39bd9-1100-46d3-8c65-fb160da0071f", displayName: "Authentication Administrator", description: "Can access to view, set and reset authentication method information for any non-admin user." },
  { id: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", displayName: "Privileged Authentication Administrator", description: "Can access to view, set and reset authentication method information for any user (admin or non-admin)." },
  { id: "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", displayName: "Conditional Access Administrator", description: "Can manage Conditional Access capabilities." },
  { id: "3a2c62db-5318-420d-8d74-23affee5d9d5", displayName: "Intune Administrator", description: "Can manage all aspects of the Intune product." },
  { id: "69091246-20e8-4a56-aa4d-066075b2a7a8", displayName: "Teams Administrator", description: "Can manage the Microsoft Teams service." },
  { id: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", displayName: "Directory Readers", description: "Can read basic directory information. Commonly used to grant directory read access to applications and guests." },
  { id: "9360feb5-f418-4baa-8175-e2a00bac4301", displayName: "Directory Writers", description: "Can read and write basic directory information. For granting access to applications, not intended for users." },
  { id: "95e79109-95c0-4d8e-aee3-d01accf2d47b", displayName: "Guest Inviter", description: "Can invite guest users independent of the 'members can invite guests' setting." },
  { id: "4a5d8f65-41da-4de4-8968-e035b65339cf", displayName: "Reports Reader", description: "Can read sign-in and audit reports." },
  { id: "17315797-102d-40b4-93e0-432062caca18", displayName: "Compliance Administrator", description: "Can read and manage compliance configuration and reports in Microsoft Entra ID and Microsoft 365." },
  { id: "4d6ac14f-3453-41d0-bef9-a3e0c569773a", displayName: "License Administrator", description: "Can manage product licenses on users and groups." },
  { id: "d29b2b05-8046-44ba-8758-1e26182fcf32", displayName: "Directory Synchronization Accounts", description: "Only used by Microsoft Entra Connect service." },
  { id: "a0b1b346-4d3e-4e8b-98f8-753987be4970", displayName: "User", description: "Default role for member users. Includes all read permissions and a subset of write permissions." },
  { id: "10dae51f-b6af-4016-8d66-8c2a99b929b3", displayName: "Guest User", description: "Default role for guest users. Can read a limited set of directory information." },
  { id: "2af84b1e-32c8-42b7-82bc-daa82404023b", displayName: "Restricted Guest User", description: "Restricted role for guest users. Can read a limited set of directory information." },
];

/** Templates activated in every generated tenant (index into ROLE_TEMPLATES). Global Administrator first. */
export const ACTIVATED_TEMPLATE_COUNT = 12;
